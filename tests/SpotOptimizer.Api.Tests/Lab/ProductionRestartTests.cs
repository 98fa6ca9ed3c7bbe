using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>The production pointer is persisted: a restarted platform serves the graduated model again, loaded from the registry.</summary>
public sealed class ProductionRestartTests
{
    [SkippableFact]
    public async Task Graduate_PlatformRestarted_ServesTheGraduatedModelAgainWithItsHistory()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string?>(LabAdmin.Settings) { [SiloStorage.DataDirectoryKey] = data.Child("data") };
        string modelId;
        await using (var first = SpotOptimizerApp.With(settings))
        {
            var admin = await LabAdmin.SignInAsync(first);
            modelId = await admin.UploadAsync(InterruptionMlNetModels.Logistic(), "survivor");
            await admin.GraduateAsync(modelId);
        }

        await using var second = SpotOptimizerApp.With(settings);
        var restarted = await LabAdmin.SignInAsync(second);
        var view = await LabAdmin.ServingAsync(restarted.Client, modelId);

        Assert.Equal(modelId, view.GetProperty("model").GetProperty("model_id").GetString());
        Assert.Equal("survivor@1", view.GetProperty("serving").GetProperty("recorded_as").GetString());
        Assert.Equal("graduated", Assert.Single(view.GetProperty("history").EnumerateArray()).GetProperty("action").GetString());
    }
}
