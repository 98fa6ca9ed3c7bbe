using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// <see cref="Promotions"/> is a stack, oldest first: the last is production; empty means the built-in model. Both
/// lists keep the latest <see cref="ProductionModelGrain.Kept"/> entries.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ProductionModelState
{
    public List<ProductionPointer> Promotions { get; set; } = [];

    /// <summary>Oldest first.</summary>
    public List<ProductionEvent> History { get; set; } = [];
}
