using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SpotOptimizer.Grains.Lab;
using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// A silo's production model swapped hundreds of times between real models (ONNX, ML.NET, the built-in one) while
/// readers score plans: every answer is wholly one model's, every plan is scored by one model, and a candidate that
/// fails the contract's test vector never serves.
/// </summary>
public sealed class ProductionModelSwapTests
{
    private static readonly RiskReferenceData Reference = new(
        new Dictionary<string, double> { ["c5.xlarge"] = 0.17, ["m5.large"] = 0.096 },
        new Dictionary<string, int> { ["c5.xlarge"] = 1, ["m5.large"] = 0, ["p3.2xlarge"] = 4 });

    [Fact]
    public async Task AssessorFor_RacingSwaps_EveryAnswerWhollyOneModel_EveryPlanOneModel()
    {
        LoadedModel[] models =
        [
            LoadedModel.Builtin(),
            Upload("onnx-pool", ModelFormats.Onnx, InterruptionOnnxModels.Logistic()),
            Upload("mlnet-pool", ModelFormats.MlNetZip, InterruptionMlNetModels.Logistic()),
        ];
        var broken = Upload("throws-on-probe", ModelFormats.Onnx, InterruptionOnnxModels.ThrowsWhileScoring());
        var requests = ModelTrialBatch.Requests.Take(16).ToArray();
        var expected = models.ToDictionary(m => m.RecordedAs, m => requests.Select(r => m.PredictorFor(Reference).Predict(r)).ToArray());
        var production = new ProductionModel(models[0], TimeProvider.System, "swap-test", NullLogger<ProductionModel>.Instance);
        var wrong = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var plan = production.AssessorFor(Reference);
                var answers = requests.Select(plan.Assess).ToList();
                var planModels = answers.Select(a => a.ModelVersion).Distinct().ToList();
                if (planModels.Count != 1) wrong.Enqueue($"one plan scored by {string.Join(" and ", planModels)}");
                for (var i = 0; i < answers.Count; i++)
                {
                    var answer = answers[i];
                    if (!expected.TryGetValue(answer.ModelVersion, out var answersOf)) wrong.Enqueue($"answer from {answer.ModelVersion} ({answer.FallbackReason})");
                    else if (answer.Prediction != answersOf[i]) wrong.Enqueue($"{answer.ModelVersion} row {i}: {answer.Prediction} is not {answersOf[i]}");
                }

                var status = ((IServedModelStatus)production).Current;
                if (models.Single(m => m.Id == status.ModelId).RecordedAs != status.RecordedAs) wrong.Enqueue($"status mixes {status.ModelId} and {status.RecordedAs}");
                seen.AddOrUpdate(planModels[0], 1, (_, n) => n + 1);
            }
        })).ToList();

        for (var swap = 0; swap < 300; swap++)
        {
            Assert.True(production.Serve(models[(swap + 1) % models.Length]));
            if (swap % 25 == 0) Assert.False(production.Serve(broken));
            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(wrong);
        Assert.Equal(models.Length, seen.Count);
        Assert.Equal(models[0].RecordedAs, production.Served.Model.RecordedAs);
    }

    [Fact]
    public void Serve_CandidateFailingTheTestVector_OldModelKeepsServing_FailureVisible()
    {
        var production = new ProductionModel(LoadedModel.Builtin(), TimeProvider.System, "swap-test", NullLogger<ProductionModel>.Instance);
        var broken = Upload("throws-on-probe", ModelFormats.Onnx, InterruptionOnnxModels.ThrowsWhileScoring());

        Assert.False(production.Serve(broken));

        var status = ((IServedModelStatus)production).Current;
        Assert.Equal(BuiltinModel.Id, status.ModelId);
        Assert.Equal(broken.Id, status.LastFailure?.ModelId);
        Assert.Contains("test vector", status.LastFailure?.Error);
        Assert.Equal(RiskSource.Model, production.AssessorFor(Reference).Assess(InterruptionContract.Probe).Source);
    }

    [Fact]
    public void FromUpload_BytesNoRuntimeLoads_ModelLoadExceptionNamingTheFormat()
    {
        var exception = Assert.Throws<ModelLoadException>(() => Upload("garbage", ModelFormats.Onnx, "not a model"u8.ToArray()));
        Assert.Contains("onnx", exception.Reason);
    }

    private static LoadedModel Upload(string name, string format, byte[] content) =>
        LoadedModel.FromUpload(Guid.NewGuid().ToString(), name, "1", Convert.ToHexStringLower(SHA256.HashData(content)), format, content);
}
