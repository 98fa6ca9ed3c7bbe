using Microsoft.ML;
using Microsoft.ML.Data;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>Real ML.NET zips trained on a few rows of the Lab's 13 features and saved as ML.NET saves them: a logistic regression and the two tree ensembles the spot-decisions issue trains.</summary>
public static class InterruptionMlNetModels
{
    public static byte[] Logistic() => Train(ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression());

    public static byte[] FastTree() => Train(ml => ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 4, numberOfTrees: 10, minimumExampleCountPerLeaf: 2));

    public static byte[] LightGbm() => Train(ml => ml.BinaryClassification.Trainers.LightGbm(numberOfLeaves: 4, minimumExampleCountPerLeaf: 2, numberOfIterations: 10));

    private static byte[] Train<TModel>(Func<MLContext, IEstimator<TModel>> trainer) where TModel : ITransformer
    {
        var k = ModelInterface.FeatureCount;
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 40).Select(i => new TrainingRow
        {
            Label = i % 2 == 0,
            Features = [.. Enumerable.Range(0, k).Select(j => (i * 7 + j * 3) % 11 / 11f + (i % 2 == 0 ? 0.3f : 0f))],
        });
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var model = trainer(ml).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    public sealed class TrainingRow
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
