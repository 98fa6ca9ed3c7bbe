namespace SpotOptimizer.Notifications.Mail;

/// <summary>One e-mail to one or more recipients, with a plain-text body and an optional HTML alternative.</summary>
public sealed record OutgoingMail(IReadOnlyList<string> To, string Subject, string TextBody, string? HtmlBody = null);

/// <summary>Sends the platform's e-mails.</summary>
public interface IMailer
{
    /// <exception cref="MailDeliveryException">The server refused or could not be reached; nothing was sent.</exception>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>A delivery failed; <see cref="Exception.Message"/> is safe to store in a delivery log (no credentials).</summary>
public sealed class MailDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
