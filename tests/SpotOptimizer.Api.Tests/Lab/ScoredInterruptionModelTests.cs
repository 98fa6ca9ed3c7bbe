using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>Uploaded models served in-process: real ONNX and ML.NET files, scored by the code the sandbox validates them with.</summary>
public sealed class ScoredInterruptionModelTests
{
    public static TheoryData<string> Formats() => [ModelFormats.Onnx, ModelFormats.MlNetZip];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Predict_TrialBatch_AnswersWithinContractAsTheSandboxScoresIt(string format)
    {
        using var model = Model(format);
        using var batch = ModelScorers.Load(format, Bytes(format));
        var requests = ModelTrialBatch.Requests;
        var scores = batch.Score(ModelInterface.Features(requests), requests.Count);

        for (var i = 0; i < requests.Count; i++)
        {
            var answer = model.Predict(requests[i]);
            Assert.True(ContractValidator.ValidatePrediction(answer).IsValid, ContractValidator.ValidatePrediction(answer).ToString());
            Assert.Equal(scores.Probability[i], answer.InterruptionProbability, 6);
            Assert.Equal(PredictionIds.For(requests[i], "pool@3"), answer.PredictionId);
        }
    }

    /// <summary>ML.NET's prediction engine is not thread-safe and ONNX Runtime's session is: either way, 8 threads get what one gets.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Predict_EightThreadsAtOnce_EachGetsWhatOneThreadGets(string format)
    {
        using var model = Model(format);
        var requests = ModelTrialBatch.Requests;
        var expected = requests.Select(r => model.Predict(r).InterruptionProbability).ToArray();
        using var start = new Barrier(8);

        var mismatches = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            var wrong = 0;
            for (var round = 0; round < 20; round++)
            {
                // Each thread walks the batch from its own offset, so different rows are scored at the same moment.
                for (var n = 0; n < requests.Count; n++)
                {
                    var i = (t * 7 + round + n) % requests.Count;
                    if (model.Predict(requests[i]).InterruptionProbability != expected[i]) wrong++;
                }
            }

            return wrong;
        })));

        Assert.All(mismatches, wrong => Assert.Equal(0, wrong));
    }

    [Fact]
    public void Load_ModelWithTheWrongInput_ModelInterfaceException()
    {
        var exception = Assert.Throws<ModelInterfaceException>(() => ModelScorers.Load(ModelFormats.Onnx, InterruptionOnnxModels.WrongInputName()));
        Assert.Contains("'features'", exception.Message);
    }

    private static ScoredInterruptionModel Model(string format) => new(ModelScorers.Load(format, Bytes(format)), "pool@3");

    private static byte[] Bytes(string format) => format == ModelFormats.Onnx ? InterruptionOnnxModels.Logistic() : InterruptionMlNetModels.Logistic();
}
