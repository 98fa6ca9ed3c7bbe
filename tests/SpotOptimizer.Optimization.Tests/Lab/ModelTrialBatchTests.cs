using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Lab;

public sealed class ModelTrialBatchTests
{
    [Fact]
    public void Requests_FirstIsTheSeedProbe_AllValidUnderContract()
    {
        var requests = ModelTrialBatch.Requests;
        Assert.Equal(ModelTrialBatch.Size, requests.Count);
        Assert.Same(InterruptionContract.Probe, requests[0]);
        Assert.All(requests, r => Assert.True(ContractValidator.ValidateRequest(r).IsValid, ContractValidator.ValidateRequest(r).ToString()));
    }

    [Fact]
    public void Features_RowMajorK13_FiniteAndDifferentPerRow()
    {
        var requests = ModelTrialBatch.Requests;
        var features = ModelInterface.Features(requests);
        Assert.Equal(requests.Count * ModelInterface.FeatureCount, features.Length);
        Assert.All(features, f => Assert.True(float.IsFinite(f)));
        var rows = Enumerable.Range(0, requests.Count).Select(i => string.Join(",", features.AsSpan(i * ModelInterface.FeatureCount, ModelInterface.FeatureCount).ToArray())).ToHashSet();
        Assert.True(rows.Count > requests.Count / 2, "the batch should spread over many distinct feature rows");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0 }, ModelFormats.MlNetZip)]
    [InlineData(new byte[] { 0x08, 0x08, 0x12 }, ModelFormats.Onnx)]
    [InlineData(new byte[] { }, ModelFormats.Onnx)]
    public void Detect_ZipMagic_MlNetElseOnnx(byte[] head, string format) => Assert.Equal(format, ModelFormats.Detect(head));
}
