using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Tenancy.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// Every interruption model this silo can serve, by id: <see cref="BuiltinModel.Id"/> and the registry's uploads.
/// A model is loaded once per id and SHA-256 and kept for the process's life (the registry is small and curated by
/// super admins; rollback and experiments then switch without reloading, and no holder of a predictor ever meets a
/// disposed runtime). Concurrent first calls share one load; a failed load is forgotten, so the next call tries again.
/// </summary>
public sealed partial class ModelCatalog(ModelRegistry registry, ILogger<ModelCatalog> logger)
{
    private readonly ConcurrentDictionary<(string Id, string Sha256), Lazy<Task<LoadedModel>>> _loaded = new();

    public LoadedModel Builtin { get; } = LoadedModel.Builtin();

    /// <summary>
    /// A contract v1.0 predictor of the model <paramref name="modelId"/> for a market's reference data: the built-in
    /// model, or a registered upload (ONNX or ML.NET zip) scored in-process. Thread-safe; keep it for as long as one
    /// plan or experiment round should be scored by one model.
    /// </summary>
    /// <exception cref="ModelNotFoundException">No model has that id.</exception>
    /// <exception cref="ModelLoadException">The model cannot be served here (its bytes do not load, or it fails the contract's test vector).</exception>
    public async Task<IInterruptionPredictor> PredictorForAsync(string modelId, RiskReferenceData reference, CancellationToken cancellationToken) =>
        (await LoadAsync(modelId, cancellationToken)).PredictorFor(reference);

    /// <inheritdoc cref="PredictorForAsync"/>
    public async Task<LoadedModel> LoadAsync(string modelId, CancellationToken cancellationToken)
    {
        if (modelId == BuiltinModel.Id) return Builtin;
        var record = await registry.FindAsync(modelId, cancellationToken) ?? throw new ModelNotFoundException(modelId);
        var key = (record.Id, record.Sha256);
        // Loading runs native code for seconds on a large model: off the caller's thread (a grain's scheduler), and not
        // cancelled with one caller, since others may be waiting for the same load.
        var loading = _loaded.GetOrAdd(key, _ => new Lazy<Task<LoadedModel>>(() => Task.Run(() => LoadFromRegistryAsync(record))));
        var task = loading.Value;
        try
        {
            return await task.WaitAsync(cancellationToken);
        }
        catch (Exception) when (task.IsFaulted)
        {
            _loaded.TryRemove(new KeyValuePair<(string, string), Lazy<Task<LoadedModel>>>(key, loading));
            throw;
        }
    }

    private async Task<LoadedModel> LoadFromRegistryAsync(ModelRecord record)
    {
        var clock = Stopwatch.StartNew();
        var content = await registry.ContentAsync(record.Id, CancellationToken.None) ?? throw new ModelNotFoundException(record.Id);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (sha256 != record.Sha256) throw new ModelLoadException(record.Id, $"its stored bytes hash to {sha256}, not the registered {record.Sha256}");
        var model = LoadedModel.FromUpload(record.Id, record.Name, record.Version, record.Sha256, record.Format, content);
        if (model.ProbeFailure() is { } failure) throw new ModelLoadException(record.Id, failure);
        LogLoaded(logger, record.Id, model.RecordedAs, record.Format, content.Length, clock.Elapsed.TotalMilliseconds);
        return model;
    }

    [LoggerMessage(1, LogLevel.Information, "[LAB] [MODEL-SERVING] loaded model {ModelId} ({RecordedAs}, {Format}, {Bytes} B) in {Ms:0} ms")]
    private static partial void LogLoaded(ILogger logger, string modelId, string recordedAs, string format, int bytes, double ms);
}
