using System.Net;
using System.Net.Sockets;
using netDumbster.smtp;

namespace SpotOptimizer.Testing;

/// <summary>
/// A real SMTP server on a free loopback port that keeps what it receives: the platform's mailer talks SMTP to it
/// exactly as to a production server. Configure the app with <see cref="Settings"/>.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly SimpleSmtpServer _server;

    public SmtpSink()
    {
        Port = FreePort();
        _server = SimpleSmtpServer.Start(Port);
    }

    public int Port { get; }

    /// <summary>The configuration keys that point the platform's mailer here (plain SMTP, no authentication).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Security"] = "none",
    };

    public IReadOnlyList<ReceivedMail> Received =>
        [.. _server.ReceivedEmail.Select(m => new ReceivedMail(
            [.. m.ToAddresses.Select(a => a.ToString())],
            m.Subject ?? "",
            string.Join("\n", m.MessageParts.Select(p => p.BodyData))))];

    /// <summary>Waits until a message for <paramref name="to"/> arrives and returns the newest one.</summary>
    public async Task<ReceivedMail> WaitForAsync(string to, Func<ReceivedMail, bool>? match = null, TimeSpan? timeout = null) =>
        (await Eventually.Wait(
            () => Received.LastOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (match?.Invoke(m) ?? true)),
            m => m is not null,
            timeout,
            what: $"an e-mail to {to}"))!;

    public void Dispose() => _server.Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record ReceivedMail(IReadOnlyList<string> To, string Subject, string Body);
