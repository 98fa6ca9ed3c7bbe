using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market.Aws;

/// <summary>A reference copy and when it was fetched. <see cref="Fallback"/>: the source failed and this is the last good copy.</summary>
internal sealed record Fetched<T>(T Value, DateTimeOffset FetchedAt, bool Fallback);

/// <summary>How a source turns a download into a value and a value into (and back from) its cached bytes.</summary>
internal sealed record SourceFormat<T>(Func<Stream, T> ParseDownload, Func<T, byte[]> ToCache, Func<byte[], T> FromCache);

/// <summary>
/// One public reference file (a region's price list, the Spot Advisor): fetched at most once per interval, kept in
/// memory and on disk; when the source fails, the last good copy is served as a fallback and the feed says degraded.
/// </summary>
internal sealed class ReferenceSource<T>(
    string feed, string? region, string url, string cacheName, SourceFormat<T> format,
    HttpClient http, FeedCache cache, AwsMarketOptions options, TimeProvider time, Action<FeedReport> report) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Fetched<T>? _copy;

    public async Task<Fetched<T>> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            // After a restart the disk copy counts as fetched when it was: a fresh one is not downloaded again.
            _copy ??= Cached();
            if (_copy is { Fallback: false } fresh && now - fresh.FetchedAt < options.ReferenceInterval)
            {
                report(new FeedReport(feed, region, FeedState.Healthy, fresh.FetchedAt, null));
                return fresh;
            }

            try
            {
                var value = await DownloadAsync(cancellationToken);
                _copy = new Fetched<T>(value, now, false);
                report(new FeedReport(feed, region, FeedState.Healthy, now, await SaveAsync(value, now, cancellationToken)));
                return _copy;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested
                && exception is HttpRequestException or IOException or JsonException or FormatException or OperationCanceledException or ObjectDisposedException or UnauthorizedAccessException)
            {
                var detail = $"{url}: {exception.Message}";
                if (_copy is null)
                {
                    report(new FeedReport(feed, region, FeedState.Unavailable, null, detail));
                    throw new CloudException(CloudErrorCodes.Unavailable, $"{feed} has no copy to serve: {detail}");
                }

                _copy = _copy with { Fallback = true };
                report(new FeedReport(feed, region, FeedState.Degraded, _copy.FetchedAt, detail));
                return _copy;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Keeps the copy on disk; a disk that refuses it does not spoil a good download, the report says so instead.</summary>
    private async Task<string?> SaveAsync(T value, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await cache.SaveAsync(cacheName, format.ToCache(value), at, cancellationToken);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"The last good copy could not be cached: {exception.Message}";
        }
    }

    private Fetched<T>? Cached()
    {
        try
        {
            return cache.Load(cacheName) is var (content, at) ? new Fetched<T>(format.FromCache(content), at, false) : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException or FormatException)
        {
            // An unreadable copy is no copy: the source is asked, and a good answer overwrites it.
            return null;
        }
    }

    private async Task<T> DownloadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DownloadTimeout);
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        // The parsers read synchronously (Utf8JsonReader): off the caller's scheduler, a grain's included. A timeout
        // disposes the response, which ends a read that hangs.
        using var abort = timeout.Token.Register(response.Dispose);
        return await Task.Run(() => format.ParseDownload(body), timeout.Token);
    }
}
