using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// Brings the production pointer to this silo every <see cref="ModelServingOptions.RefreshInterval"/> and, when it
/// names another model, loads that model and hands it to <see cref="ProductionModel"/> to swap in. Polling, not a
/// push: a silo that joined late or missed a change still converges, and one that cannot read the pointer keeps the
/// model it serves.
/// </summary>
public sealed partial class ProductionModelWatcher(
    IGrainFactory grains, ModelCatalog catalog, ProductionModel production, IOptions<ModelServingOptions> options, TimeProvider time,
    ILogger<ProductionModelWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        do
        {
            await FollowAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look at the pointer, and a swap when it moved.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        ProductionPointer pointer;
        try
        {
            pointer = (await grains.GetGrain<IProductionModelGrain>(IProductionModelGrain.Key).Get()).Current;
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException)
        {
            LogReadFailed(logger, exception, production.Served.Model.RecordedAs);
            return;
        }

        if (production.Serves(pointer.ModelId, pointer.Sha256) || RecentlyRefused(pointer)) return;
        try
        {
            var candidate = await catalog.LoadAsync(pointer.ModelId, cancellationToken);
            if (candidate.Sha256 == pointer.Sha256) production.Serve(candidate);
            else production.Refuse(pointer.ModelId, pointer.Sha256, $"the registry holds bytes {candidate.Sha256}, not the promoted {pointer.Sha256}");
        }
        catch (Exception exception) when (exception is ModelNotFoundException or ModelLoadException or DbException)
        {
            production.Refuse(pointer.ModelId, pointer.Sha256, exception.Message);
        }
    }

    private bool RecentlyRefused(ProductionPointer pointer) =>
        production.LastFailure is { } failure && failure.ModelId == pointer.ModelId && failure.Sha256 == pointer.Sha256
        && time.GetUtcNow() - failure.At < options.Value.RetryFailedAfter;

    [LoggerMessage(1, LogLevel.Warning, "[LAB] [MODEL-SERVING] could not read the production model; still serving {RecordedAs}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string recordedAs);
}
