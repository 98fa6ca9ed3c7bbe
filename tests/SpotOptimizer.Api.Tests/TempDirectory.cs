namespace SpotOptimizer.Api.Tests;

/// <summary>A unique folder under the temp path, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"spotopt-api-tests-{Guid.NewGuid():N}");

    /// <summary>A path inside <see cref="Root"/> that does not exist yet, so tests see who creates it.</summary>
    public string Child(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
