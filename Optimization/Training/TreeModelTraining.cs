using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace SpotOptimizer.Optimization.Training;

/// <summary>The interruption models the product can train: today's own logistic regression and two ML.NET tree ensembles.</summary>
public enum InterruptionModelKind
{
    Logistic = 0,
    FastTree = 1,
    LightGbm = 2,
}

/// <summary>
/// Boosted-tree settings shared by FastTree and LightGBM, so the two differ only by their library. One thread and a
/// fixed seed make a training a pure function of its data: FastTree's and LightGBM's multi-threaded histograms can
/// otherwise sum in a different order and split differently.
/// </summary>
public sealed record TreeTrainingOptions(int Seed = 1, int Trees = 200, int Leaves = 31, int MinExamplesPerLeaf = 200, double LearningRate = 0.05);

/// <summary>
/// Trains an ML.NET binary classifier (FastTree or LightGBM, each with ML.NET's Platt calibration on the training
/// data) on a <see cref="TrainingSet"/>: the same <see cref="Risk.RiskFeatures"/> and labels as the logistic model.
/// </summary>
public static class TreeModelTraining
{
    /// <summary>The name of the features column of every tree model's input, a float vector of <see cref="Risk.RiskFeatures.Count"/>.</summary>
    public const string FeaturesColumn = "Features";

    public static TreeFit Train(TrainingSet data, InterruptionModelKind kind, TreeTrainingOptions options)
    {
        if (data.Count == 0 || data.Positives == 0 || data.Positives == data.Count) throw new ArgumentException("need examples of both labels", nameof(data));
        var ml = new MLContext(options.Seed);
        var view = TreeFit.ToDataView(ml, data, withLabels: true);
        ITransformer model = kind switch
        {
            InterruptionModelKind.FastTree => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = options.Trees,
                NumberOfLeaves = options.Leaves,
                MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                LearningRate = options.LearningRate,
                NumberOfThreads = 1,
                Seed = options.Seed,
                FeatureSelectionSeed = options.Seed,
            }).Fit(view),
            InterruptionModelKind.LightGbm => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = options.Trees,
                NumberOfLeaves = options.Leaves,
                MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
                LearningRate = options.LearningRate,
                NumberOfThreads = 1,
                Seed = options.Seed,
                Deterministic = true,
                Silent = true,
            }).Fit(view),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a tree model"),
        };
        return new TreeFit(ml, model, kind, view.Schema);
    }
}

/// <summary>A trained ML.NET tree model with what the comparison and the artifact need from it.</summary>
public sealed class TreeFit
{
    private readonly MLContext _ml;
    private readonly DataViewSchema _inputSchema;

    internal TreeFit(MLContext ml, ITransformer model, InterruptionModelKind kind, DataViewSchema inputSchema)
    {
        _ml = ml;
        Model = model;
        Kind = kind;
        _inputSchema = inputSchema;
    }

    public ITransformer Model { get; }

    public InterruptionModelKind Kind { get; }

    /// <summary>The calibrated probability of the label for every row, scored in one batch.</summary>
    public double[] Score(TrainingSet data)
    {
        var scored = Model.Transform(ToDataView(_ml, data, withLabels: false));
        return scored.GetColumn<float>("Probability").Select(p => (double)p).ToArray();
    }

    /// <summary>Each feature's total split gain over the ensemble (ML.NET's tree feature weights), in <see cref="Risk.RiskFeatures.Names"/> order.</summary>
    public double[] Gain()
    {
        VBuffer<float> weights = default;
        switch (Model)
        {
            case BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> f:
                f.Model.SubModel.GetFeatureWeights(ref weights);
                break;
            case BinaryPredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> l:
                l.Model.SubModel.GetFeatureWeights(ref weights);
                break;
            default:
                throw new InvalidOperationException($"{Model.GetType().Name} exposes no tree gains");
        }

        return weights.DenseValues().Select(w => (double)w).ToArray();
    }

    /// <summary>The ML.NET model zip (<c>MLContext.Model.Save</c>), with the input schema it expects.</summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(Model, _inputSchema, stream);
        return stream.ToArray();
    }

    internal static IDataView ToDataView(MLContext ml, TrainingSet data, bool withLabels)
    {
        var width = data.Width;
        var rows = new ExampleRow[data.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var features = new float[width];
            var row = data.Row(i);
            for (var j = 0; j < width; j++) features[j] = (float)row[j];
            rows[i] = new ExampleRow { Label = withLabels && data.Labels[i] == 1, Features = features };
        }

        var schema = SchemaDefinition.Create(typeof(ExampleRow));
        schema[nameof(ExampleRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class ExampleRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
