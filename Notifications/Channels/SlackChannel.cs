using System.Text.Json;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>A Slack incoming webhook: <c>text</c> (the notification fallback) and Block Kit <c>blocks</c> (header, summary, fields).</summary>
public sealed class SlackChannel(IHttpClientFactory clients) : INotificationChannel
{
    public string Name => ChannelNames.Slack;

    public Task<DeliveryResult> SendAsync(OutboxItem item, NotificationEvent notification, CancellationToken cancellationToken) =>
        HttpDelivery.PostJsonAsync(clients, item.Target, Message(notification), new Dictionary<string, string>(), cancellationToken);

    public static byte[] Message(NotificationEvent n)
    {
        var blocks = new List<object>
        {
            new { type = "header", text = new { type = "plain_text", text = Truncate(n.Title, 150) } },
            new { type = "section", text = new { type = "mrkdwn", text = Truncate(n.Summary, 3000) } },
        };
        // A section holds at most 10 fields.
        foreach (var chunk in n.Facts.Chunk(10))
        {
            blocks.Add(new { type = "section", fields = chunk.Select(f => new { type = "mrkdwn", text = Truncate($"*{f.Key}*\n{f.Value}", 2000) }).ToArray() });
        }

        blocks.Add(new { type = "context", elements = new[] { new { type = "mrkdwn", text = $"SpotOptimizer · {n.Event} · {n.OccurredAt:u}" } } });
        return JsonSerializer.SerializeToUtf8Bytes(new { text = $"{n.Title}: {n.Summary}", blocks }, NotificationJson.Options);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
