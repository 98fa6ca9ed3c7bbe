namespace SpotOptimizer.Notifications.Mail;

/// <summary>Section <c>Mail</c>: the SMTP server the platform sends its e-mails through (password resets, invitations, notifications).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>SMTP host; without one, e-mails are written to the log instead of sent (the embedded default).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>auto</c> (STARTTLS when the server offers it), <c>starttls</c>, <c>tls</c> (implicit, port 465) or <c>none</c>.</summary>
    public string Security { get; set; } = "auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "SpotOptimizer <no-reply@spotoptimizer.local>";

    /// <summary>How long one delivery may take (connect, authenticate, send).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The address users open the product at; links in e-mails start with it.</summary>
    public string? PublicBaseUrl { get; set; }
}
