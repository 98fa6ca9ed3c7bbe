using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SpotOptimizer.Notifications.Mail;

namespace SpotOptimizer.Api.Auth;

/// <summary>The e-mails identity sends: password-reset and invitation links.</summary>
public sealed class AuthMail(IOptions<MailOptions> mail, IOptions<AuthOptions> auth)
{
    /// <summary><c>Mail:PublicBaseUrl</c>, or by default the address the request came to.</summary>
    public string BaseUrl(HttpRequest request) =>
        (mail.Value.PublicBaseUrl is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    public OutgoingMail PasswordReset(string to, string baseUrl, string token)
    {
        var link = $"{baseUrl}/reset-password?token={Uri.EscapeDataString(token)}";
        var minutes = (int)auth.Value.PasswordResetLifetime.TotalMinutes;
        return new OutgoingMail([to], "Reset your SpotOptimizer password",
            $"Someone asked to reset the password of your SpotOptimizer account.\n\nChoose a new one here (the link works once, for {minutes} minutes):\n{link}\n\n" +
            "If it was not you, ignore this e-mail: your password stays as it is.\n");
    }

    public OutgoingMail Invitation(string to, string organizationName, string role, string baseUrl, string token)
    {
        var link = $"{baseUrl}/accept-invitation?token={Uri.EscapeDataString(token)}";
        var days = (int)Math.Ceiling(auth.Value.InvitationLifetime.TotalDays);
        return new OutgoingMail([to], $"You are invited to {organizationName} on SpotOptimizer",
            $"You are invited to join {organizationName} on SpotOptimizer as {role.Replace('_', '-')}.\n\n" +
            $"Accept and choose your password here (the link works once, for {days} days):\n{link}\n");
    }
}

/// <summary>
/// Sends identity's e-mails off the request, so a password-reset request for a real account is answered as fast as
/// for an unknown one (an SMTP round trip would tell them apart). Failures are logged; the user or owner can ask again.
/// </summary>
public sealed partial class AuthOutbox(IMailer mailer, ILogger<AuthOutbox> logger) : BackgroundService
{
    private readonly Channel<OutgoingMail> _queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(OutgoingMail mail)
    {
        if (!_queue.Writer.TryWrite(mail)) Dropped(logger, mail.Subject);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await mailer.SendAsync(mail, stoppingToken);
            }
            catch (MailDeliveryException exception)
            {
                Failed(logger, mail.Subject, exception.Message);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "[AUTH-MAIL] \"{Subject}\" not sent: {Reason}")]
    private static partial void Failed(ILogger logger, string subject, string reason);

    [LoggerMessage(2, LogLevel.Warning, "[AUTH-MAIL] \"{Subject}\" dropped: the outbox is full")]
    private static partial void Dropped(ILogger logger, string subject);
}

public static class AuthMailRegistration
{
    public static IServiceCollection AddAuthMail(this IServiceCollection services)
    {
        services.AddSingleton<AuthMail>();
        services.AddSingleton<AuthOutbox>();
        services.AddHostedService(provider => provider.GetRequiredService<AuthOutbox>());
        return services;
    }
}
