using SpotOptimizer.Runtime.Activation;

namespace SpotOptimizer.Runtime.Tests;

public sealed class GrainInterfaceValidatorTests
{
    [Theory]
    [InlineData(typeof(ISynchronousGrain), "must return Task")]
    [InlineData(typeof(IDelegateGrain), "not a serializable value")]
    [InlineData(typeof(IRefGrain), "ref/out parameter")]
    [InlineData(typeof(ITokenGrain), "not a serializable value")]
    public void Validate_NotAMessageContract_ThrowsSayingWhy(Type grainInterface, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GrainInterfaceValidator.Validate(grainInterface));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(grainInterface.Name + ".", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RecordsAndTasks_Accepted() => GrainInterfaceValidator.Validate(typeof(IGoodGrain));

    public sealed record Reading(string Pool, decimal Price);

    public interface IGoodGrain : IGrainWithStringKey
    {
        Task<IReadOnlyList<Reading>> Read(string pool, int limit);

        Task Write(Reading reading);
    }

    public interface ISynchronousGrain : IGrainWithStringKey
    {
        int Count();
    }

    public interface IDelegateGrain : IGrainWithStringKey
    {
        Task Subscribe(Action<int> callback);
    }

    public interface IRefGrain : IGrainWithStringKey
    {
        Task Swap(ref int value);
    }

    public interface ITokenGrain : IGrainWithStringKey
    {
        Task Wait(CancellationToken cancellationToken);
    }
}
