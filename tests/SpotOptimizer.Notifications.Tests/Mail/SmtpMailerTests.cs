using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Notifications.Mail;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Notifications.Tests.Mail;

public sealed class SmtpMailerTests
{
    [Fact]
    public async Task SendAsync_LocalSmtpServer_DeliversSubjectBodyAndEveryRecipient()
    {
        using var sink = new SmtpSink();
        var mailer = Mailer(sink.Port);

        await mailer.SendAsync(new OutgoingMail(["ops@example.com", "lead@example.com"], "Weekly savings", "You saved $1,234."), CancellationToken.None);

        var mail = await sink.WaitForAsync("ops@example.com");
        Assert.Equal("Weekly savings", mail.Subject);
        Assert.Contains("You saved $1,234.", mail.Body, StringComparison.Ordinal);
        Assert.Contains(mail.To, a => a.Contains("lead@example.com", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SendAsync_NoServerListening_ThrowsMailDeliveryExceptionWithoutSending()
    {
        int closedPort;
        using (var sink = new SmtpSink()) closedPort = sink.Port;
        var mailer = Mailer(closedPort, TimeSpan.FromSeconds(5));

        var failure = await Assert.ThrowsAsync<MailDeliveryException>(() =>
            mailer.SendAsync(new OutgoingMail(["ops@example.com"], "s", "b"), CancellationToken.None));
        Assert.Contains($"127.0.0.1:{closedPort}", failure.Message, StringComparison.Ordinal);
    }

    private static SmtpMailer Mailer(int port, TimeSpan? timeout = null) => new(
        Options.Create(new MailOptions { Host = "127.0.0.1", Port = port, Security = "none", Timeout = timeout ?? TimeSpan.FromSeconds(30) }),
        NullLogger<SmtpMailer>.Instance);
}
