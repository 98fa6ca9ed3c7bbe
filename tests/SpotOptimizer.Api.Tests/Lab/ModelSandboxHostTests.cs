using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Lab;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>The sandbox's OS limits, each on its own (no app host): the kernel, not the parent, stops these models.</summary>
public sealed class ModelSandboxHostTests
{
    private const string Prlimit = "/usr/bin/prlimit";

    [SkippableFact]
    public async Task Trial_ModelSpinningPastTheCpuLimit_KilledAsTimeout()
    {
        Skip.IfNot(File.Exists(Prlimit), "RLIMIT_CPU is set through prlimit (util-linux)");
        using var sandbox = Host(new ModelSandboxOptions { CpuSeconds = 1, WallClock = TimeSpan.FromSeconds(60) });
        var verdict = await sandbox.TrialAsync(InterruptionOnnxModels.NeverFinishes(), ModelFormats.Onnx, CancellationToken.None);
        Assert.Equal(ModelChecks.Timeout, verdict.Report.FailedCheck);
        Assert.Contains("CPU-time", verdict.Report.Detail);
    }

    [SkippableFact]
    public async Task Trial_ModelAskingForMoreMemoryThanTheLimit_Crashed()
    {
        Skip.IfNot(File.Exists(Prlimit), "without RLIMIT_AS the allocation could reach the machine's OOM killer");
        using var sandbox = Host(new ModelSandboxOptions());
        var verdict = await sandbox.TrialAsync(InterruptionOnnxModels.EatsMemory(), ModelFormats.Onnx, CancellationToken.None);
        Assert.Equal(ModelChecks.Crashed, verdict.Report.FailedCheck);
        Assert.Contains("allocate", verdict.Report.Detail);
    }

    [SkippableFact]
    public async Task Trial_ValidModel_PassesWithTimings()
    {
        using var sandbox = Host(new ModelSandboxOptions());
        var verdict = await sandbox.TrialAsync(InterruptionOnnxModels.Logistic(), ModelFormats.Onnx, CancellationToken.None);
        Assert.True(verdict.Report.Passed, verdict.Report.Detail);
        Assert.True(verdict.Report.LoadMs > 0 && verdict.WallMs >= verdict.Report.LoadMs);
    }

    [SkippableTheory]
    [InlineData("wrong_input_name", ModelFormats.Onnx, ModelChecks.ContractViolation, "features")]
    [InlineData("zip_without_a_model", ModelFormats.MlNetZip, ModelChecks.Unreadable, "mlnet_zip")]
    [InlineData("onnx_sent_as_zip", ModelFormats.MlNetZip, ModelChecks.Unreadable, "mlnet_zip")]
    public async Task Trial_ModelNotOnTheLabsInterface_NamesTheCheck(string kind, string format, string check, string detailMentions)
    {
        var model = kind switch
        {
            "wrong_input_name" => InterruptionOnnxModels.WrongInputName(),
            "zip_without_a_model" => ZipWith("readme.txt", "not a model"),
            _ => InterruptionOnnxModels.Logistic(),
        };
        using var sandbox = Host(new ModelSandboxOptions());
        var verdict = await sandbox.TrialAsync(model, format, CancellationToken.None);
        Assert.Equal(check, verdict.Report.FailedCheck);
        Assert.Contains(detailMentions, verdict.Report.Detail);
    }

    private static byte[] ZipWith(string entry, string text)
    {
        using var bytes = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(bytes, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
            writer.Write(text);
        }

        return bytes.ToArray();
    }

    private static ModelSandboxHost Host(ModelSandboxOptions options) => new(Options.Create(options), NullLogger<ModelSandboxHost>.Instance);
}
