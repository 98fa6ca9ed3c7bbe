using System.Text.Json;
using System.Text.Json.Nodes;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;

namespace SpotOptimizer.Notifications.Channels;

/// <summary>
/// A Microsoft Teams incoming webhook (or Workflows "post to a channel" URL): a <c>message</c> whose one attachment is
/// an Adaptive Card (title, summary, a FactSet).
/// </summary>
public sealed class TeamsChannel(IHttpClientFactory clients) : INotificationChannel
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public string Name => ChannelNames.Teams;

    public Task<DeliveryResult> SendAsync(OutboxItem item, NotificationEvent notification, CancellationToken cancellationToken) =>
        HttpDelivery.PostJsonAsync(clients, item.Target, Message(notification), new Dictionary<string, string>(), cancellationToken);

    public static byte[] Message(NotificationEvent n)
    {
        // JsonNode rather than an anonymous type: the card's "$schema" key is not a C# name.
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = n.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = n.Summary, ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray([.. n.Facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Key, ["value"] = f.Value })]),
                },
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"SpotOptimizer · {n.Event} · {n.OccurredAt:u}", ["isSubtle"] = true, ["size"] = "Small", ["wrap"] = true },
            },
        };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = AdaptiveCardContentType, ["contentUrl"] = null, ["content"] = card } },
        };
        return JsonSerializer.SerializeToUtf8Bytes(message);
    }
}
