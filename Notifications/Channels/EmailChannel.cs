using System.Text;
using SpotOptimizer.Notifications.Mail;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>E-mail through the platform's <see cref="IMailer"/> (SMTP); a refused or unreachable server is worth a retry.</summary>
public sealed class EmailChannel(IMailer mailer) : INotificationChannel
{
    public string Name => ChannelNames.Email;

    public async Task<DeliveryResult> SendAsync(OutboxItem item, NotificationEvent notification, CancellationToken cancellationToken)
    {
        try
        {
            await mailer.SendAsync(Compose(item.Target.Split(',', StringSplitOptions.RemoveEmptyEntries), notification), cancellationToken);
            return DeliveryResult.Ok(null);
        }
        catch (MailDeliveryException exception)
        {
            return new DeliveryResult(false, null, exception.Message, true);
        }
    }

    public static OutgoingMail Compose(IReadOnlyList<string> to, NotificationEvent n)
    {
        var text = new StringBuilder().AppendLine(n.Summary).AppendLine();
        foreach (var (name, value) in n.Facts) text.Append(name).Append(": ").AppendLine(value);
        text.AppendLine().Append("SpotOptimizer · ").Append(n.Event).Append(" · ").AppendLine(n.OccurredAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        return new OutgoingMail(to, $"[SpotOptimizer] {n.Title}", text.ToString());
    }
}
