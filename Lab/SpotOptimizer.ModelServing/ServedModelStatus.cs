namespace SpotOptimizer.ModelServing;

/// <summary>What this instance scores interruption risk with right now, for the Lab's production view.</summary>
public interface IServedModelStatus
{
    ServedModelStatus Current { get; }
}

/// <param name="Instance">This silo's address: which instance answered.</param>
/// <param name="RecordedAs">The version decisions scored by it record (the built-in model's artifact version, or <c>name@version</c>).</param>
/// <param name="LoadedAt">When this instance started serving it.</param>
/// <param name="LastFailure">The last production model this instance could not load, while it kept serving this one; null once one loads.</param>
public sealed record ServedModelStatus(
    string Instance, string ModelId, string Name, string Version, string Sha256, string RecordedAs, DateTimeOffset LoadedAt, ServingFailure? LastFailure);

/// <summary>A production model this instance refused to serve, and why.</summary>
public sealed record ServingFailure(string ModelId, string Sha256, string Error, DateTimeOffset At);
