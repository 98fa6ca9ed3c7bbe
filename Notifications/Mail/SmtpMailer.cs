using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace SpotOptimizer.Notifications.Mail;

/// <summary>Delivers over SMTP with MailKit: one connection per message, so a broken server never holds a pooled socket.</summary>
public sealed class SmtpMailer(IOptions<MailOptions> options, ILogger<SmtpMailer> logger) : IMailer
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = Compose(mail, settings.From);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("Mail:Host is not set."), settings.Port, SecurityOf(settings.Security), timeout.Token);
            if (!string.IsNullOrEmpty(settings.UserName)) await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", timeout.Token);
            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception exception) when (exception is SmtpCommandException or SmtpProtocolException or AuthenticationException
                                              or IOException or System.Net.Sockets.SocketException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MailDeliveryException($"SMTP delivery to {settings.Host}:{settings.Port} failed: {exception.GetType().Name}: {exception.Message}", exception);
        }

        MailLog.Sent(logger, mail.Subject, mail.To.Count);
    }

    internal static MimeMessage Compose(OutgoingMail mail, string from)
    {
        var message = new MimeMessage { Subject = mail.Subject };
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var to in mail.To) message.To.Add(MailboxAddress.Parse(to));
        var body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions SecurityOf(string security) => security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}

/// <summary>
/// The embedded default without an SMTP server: each e-mail is written to the log, whole, so a developer trying the
/// product on their machine can still follow a password-reset or invitation link. Never used when <c>Mail:Host</c> is set.
/// </summary>
public sealed class LogMailer(ILogger<LogMailer> logger) : IMailer
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        MailLog.Logged(logger, string.Join(", ", mail.To), mail.Subject, mail.TextBody);
        return Task.CompletedTask;
    }
}

internal static partial class MailLog
{
    [LoggerMessage(1, LogLevel.Information, "[MAIL] sent \"{Subject}\" to {Recipients} recipient(s)")]
    public static partial void Sent(ILogger logger, string subject, int recipients);

    [LoggerMessage(2, LogLevel.Information, "[MAIL] no SMTP server configured (Mail:Host); to {To}: \"{Subject}\"\n{Body}")]
    public static partial void Logged(ILogger logger, string to, string subject, string body);
}
