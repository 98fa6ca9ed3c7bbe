using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// The production pointer. A model is loaded and probed on this silo before the pointer moves to it, so a model that
/// cannot be served is refused here (<see cref="ProductionChangeOutcome.ModelUnloadable"/>) instead of on every silo.
/// </summary>
public sealed class ProductionModelGrain(
    [PersistentState("production-model")] IPersistentState<ProductionModelState> state, ModelCatalog catalog, TimeProvider time) : Grain, IProductionModelGrain
{
    /// <summary>How many promotions (the rollback depth) and history entries are kept.</summary>
    public const int Kept = 50;

    private ProductionModelState S => state.State;

    public Task<ProductionModelView> Get() => Task.FromResult(View);

    public async Task<ProductionChange> Graduate(string modelId, string actor)
    {
        var current = Current;
        if (current.ModelId == modelId) return Unchanged(ProductionChangeOutcome.AlreadyProduction);
        var (loaded, refusal) = await LoadAsync(modelId);
        if (loaded is null) return refusal!;
        var promoted = new ProductionPointer(loaded.Id, loaded.Name, loaded.Version, loaded.Sha256, time.GetUtcNow(), actor);
        S.Promotions.Add(promoted);
        return await ChangedAsync(ProductionActions.Graduated, promoted, current, actor);
    }

    public async Task<ProductionChange> Rollback(string actor)
    {
        if (S.Promotions.Count == 0) return Unchanged(ProductionChangeOutcome.NothingToRollBack);
        var current = Current;
        var target = Previous!;
        var (loaded, refusal) = await LoadAsync(target.ModelId);
        if (loaded is null) return refusal!;
        S.Promotions.RemoveAt(S.Promotions.Count - 1);
        return await ChangedAsync(ProductionActions.RolledBack, target, current, actor);
    }

    private ProductionPointer Current => S.Promotions.Count > 0 ? S.Promotions[^1] : BuiltinPointer;

    /// <summary>What a rollback brings back: the promotion below the current one, or the built-in model under them all.</summary>
    private ProductionPointer? Previous => S.Promotions.Count switch
    {
        0 => null,
        1 => BuiltinPointer,
        var n => S.Promotions[n - 2],
    };

    private ProductionModelView View => new(Current, Previous, [.. Enumerable.Reverse(S.History)]);

    private ProductionPointer BuiltinPointer => new(catalog.Builtin.Id, catalog.Builtin.Name, catalog.Builtin.Version, catalog.Builtin.Sha256, null, null);

    private async Task<(LoadedModel? Loaded, ProductionChange? Refusal)> LoadAsync(string modelId)
    {
        try
        {
            return (await catalog.LoadAsync(modelId, CancellationToken.None), null);
        }
        catch (ModelNotFoundException)
        {
            return (null, Unchanged(ProductionChangeOutcome.ModelNotFound));
        }
        catch (ModelLoadException exception)
        {
            return (null, Unchanged(ProductionChangeOutcome.ModelUnloadable, exception.Reason));
        }
    }

    private async Task<ProductionChange> ChangedAsync(string action, ProductionPointer to, ProductionPointer replaced, string actor)
    {
        S.History.Add(new ProductionEvent(action, to.ModelId, to.Name, to.Version, time.GetUtcNow(), actor));
        if (S.Promotions.Count > Kept) S.Promotions.RemoveRange(0, S.Promotions.Count - Kept);
        if (S.History.Count > Kept) S.History.RemoveRange(0, S.History.Count - Kept);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            // The change is in memory only: start over from what is stored rather than serve a pointer no other silo sees.
            DeactivateOnIdle();
            throw;
        }

        return new ProductionChange(ProductionChangeOutcome.Changed, View, replaced, null);
    }

    private ProductionChange Unchanged(ProductionChangeOutcome outcome, string? detail = null) => new(outcome, View, null, detail);
}
