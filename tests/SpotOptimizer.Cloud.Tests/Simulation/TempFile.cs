namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>A file with the given text in a folder of its own under the temp path; the folder goes on dispose.</summary>
public sealed class TempFile : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"spotopt-cloud-tests-{Guid.NewGuid():N}");

    public TempFile(string name, string text)
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, name);
        File.WriteAllText(Path, text);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
