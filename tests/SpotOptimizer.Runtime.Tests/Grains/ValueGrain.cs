using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public sealed record Basket(string Owner, List<string> Items);

public interface IValueGrain : IGrainWithStringKey
{
    /// <summary>Adds an item to the basket it was given and keeps it.</summary>
    Task<Basket> AddAndKeep(Basket basket, string item);

    Task<Basket?> GetKept();

    Task<int> Accept(Unserializable value);
}

/// <summary>No public constructor System.Text.Json can use: cannot cross a process boundary.</summary>
public sealed class Unserializable
{
    private Unserializable(int value) => Value = value;

    public int Value { get; }

    public static Unserializable Of(int value) => new(value);
}

public sealed class ValueGrain : Grain, IValueGrain
{
    private Basket? _kept;

    public Task<Basket> AddAndKeep(Basket basket, string item)
    {
        basket.Items.Add(item);
        _kept = basket;
        return Task.FromResult(basket);
    }

    public Task<Basket?> GetKept() => Task.FromResult(_kept);

    public Task<int> Accept(Unserializable value) => Task.FromResult(value.Value);
}

public interface IBrokenGrain : IGrainWithStringKey
{
    Task<int> Call();
}

public sealed class BrokenGrain : Grain, IBrokenGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("activation refused for " + GetPrimaryKeyString());

    public Task<int> Call() => Task.FromResult(1);
}
