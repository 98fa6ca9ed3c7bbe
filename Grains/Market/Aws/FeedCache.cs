using System.Globalization;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>
/// The last good copy of each reference source on disk (<c>{name}</c> and <c>{name}.fetched</c>, the time it was
/// fetched), so a restart without network still has prices. Each file is written aside and moved into place: a crash
/// mid-write leaves the previous copy.
/// </summary>
internal sealed class FeedCache(string? directory)
{
    public async Task SaveAsync(string name, byte[] content, DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        if (directory is null) return;
        Directory.CreateDirectory(directory);
        await WriteAsync(Path.Combine(directory, name), content, cancellationToken);
        await WriteAsync(Path.Combine(directory, name + ".fetched"), System.Text.Encoding.UTF8.GetBytes(fetchedAt.ToString("O", CultureInfo.InvariantCulture)), cancellationToken);
    }

    /// <summary>The cached copy and when it was fetched; null when there is none (or its time is unreadable).</summary>
    public (byte[] Content, DateTimeOffset FetchedAt)? Load(string name)
    {
        if (directory is null) return null;
        var content = Path.Combine(directory, name);
        var fetched = content + ".fetched";
        if (!File.Exists(content) || !File.Exists(fetched)) return null;
        return DateTimeOffset.TryParse(File.ReadAllText(fetched), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? (File.ReadAllBytes(content), at)
            : null;
    }

    private static async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var aside = path + ".partial";
        await File.WriteAllBytesAsync(aside, content, cancellationToken);
        File.Move(aside, path, overwrite: true);
    }
}
