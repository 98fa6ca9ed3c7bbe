using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Lab;

/// <summary>
/// Which interruption model the platform scores with (key <see cref="Key"/>): the built-in one until a super admin
/// graduates another. Graduating pushes a model on top, rolling back pops it, so one rollback after another walks
/// back through what production was. Every silo reads <see cref="Get"/> every second or so and swaps its model.
/// </summary>
public interface IProductionModelGrain : IGrainWithStringKey
{
    const string Key = "platform";

    [ReadOnly]
    Task<ProductionModelView> Get();

    /// <summary>Loads the model first (it must answer the contract's test vector), then makes it production.</summary>
    Task<ProductionChange> Graduate(string modelId, string actor);

    /// <summary>Back to the model that was production before the current one (loaded and checked first, as for graduation).</summary>
    Task<ProductionChange> Rollback(string actor);
}

/// <summary>A model in production, now or before. <see cref="PromotedAt"/> is null for the built-in model never promoted.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductionPointer(string ModelId, string Name, string Version, string Sha256, DateTimeOffset? PromotedAt, string? PromotedBy);

/// <summary>One change of production: <see cref="ProductionActions"/>, to which model, when, by whom.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductionEvent(string Action, string ModelId, string Name, string Version, DateTimeOffset At, string By);

public static class ProductionActions
{
    public const string Graduated = "graduated";
    public const string RolledBack = "rolled_back";
}

/// <param name="Previous">What a rollback would bring back; null when production is the built-in model never replaced.</param>
/// <param name="History">The changes, newest first.</param>
[GenerateSerializer, Immutable]
public sealed record ProductionModelView(ProductionPointer Current, ProductionPointer? Previous, IReadOnlyList<ProductionEvent> History);

[GenerateSerializer]
public enum ProductionChangeOutcome
{
    Changed = 0,
    ModelNotFound = 1,
    AlreadyProduction = 2,
    NothingToRollBack = 3,
    ModelUnloadable = 4,
}

/// <param name="Detail">Why the model could not be loaded, for <see cref="ProductionChangeOutcome.ModelUnloadable"/>.</param>
/// <param name="Replaced">What was production before a change; null when nothing changed.</param>
[GenerateSerializer, Immutable]
public sealed record ProductionChange(ProductionChangeOutcome Outcome, ProductionModelView Model, ProductionPointer? Replaced, string? Detail);
