using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotOptimizer.Cloud;

/// <summary>
/// EventBridge's JSON for EC2 instance events, both ways: parsing what arrives on the queue (AWS and the simulator)
/// and writing it (the simulator enqueues exactly what EventBridge would). Shape, from the EC2 user guide:
/// <c>{"version":"0","id":…,"detail-type":"EC2 Spot Instance Interruption Warning","source":"aws.ec2","account":…,
/// "time":"2026-01-05T10:00:00Z","region":"us-east-1","resources":["arn:aws:ec2:…:instance/i-…"],
/// "detail":{"instance-id":"i-…","instance-action":"terminate"}}</c>.
/// </summary>
public static class EventBridgeEvents
{
    public const string Source = "aws.ec2";
    public const string InterruptionWarning = "EC2 Spot Instance Interruption Warning";
    public const string RebalanceRecommendation = "EC2 Instance Rebalance Recommendation";
    public const string StateChange = "EC2 Instance State-change Notification";

    /// <summary>The event in a message body, or why it is not one (the message is then acknowledged and counted as malformed).</summary>
    public static (InstanceEvent? Event, string? Reason) Parse(string body, string receiptHandle)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON: {e.Message}");
        }

        if (root is not JsonObject message) return (null, "not a JSON object");
        var kind = Text(message, "detail-type") switch
        {
            InterruptionWarning => InstanceEventKind.InterruptionWarning,
            RebalanceRecommendation => InstanceEventKind.RebalanceRecommendation,
            StateChange => InstanceEventKind.StateChange,
            _ => (InstanceEventKind?)null,
        };
        if (kind is null) return (null, $"unexpected detail-type '{Text(message, "detail-type")}'");
        if (Text(message, "source") != Source) return (null, $"unexpected source '{Text(message, "source")}'");
        var id = Text(message, "id");
        if (string.IsNullOrEmpty(id)) return (null, "no event id");
        var region = Text(message, "region");
        if (string.IsNullOrEmpty(region)) return (null, "no region");
        if (!DateTimeOffset.TryParse(Text(message, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return (null, $"unreadable time '{Text(message, "time")}'");
        if (message["detail"] is not JsonObject detail) return (null, "no detail");
        var instanceId = Text(detail, "instance-id");
        if (instanceId is null || !instanceId.StartsWith("i-", StringComparison.Ordinal)) return (null, "no instance-id in detail");
        var state = Text(detail, "state");
        if (kind == InstanceEventKind.StateChange && string.IsNullOrEmpty(state)) return (null, "a state change without a state");
        return (new InstanceEvent(id, kind.Value, instanceId, region, time, receiptHandle, Text(detail, "instance-action"), state), null);
    }

    /// <summary>A received batch of SQS messages: the events, and the messages that are none.</summary>
    public static InstanceEventBatch ParseBatch(IEnumerable<(string MessageId, string ReceiptHandle, string Body)> messages)
    {
        var events = new List<InstanceEvent>();
        var malformed = new List<MalformedEvent>();
        foreach (var (messageId, receiptHandle, body) in messages)
        {
            var (parsed, reason) = Parse(body, receiptHandle);
            if (parsed is not null) events.Add(parsed);
            else malformed.Add(new MalformedEvent(messageId, receiptHandle, reason!));
        }

        return new InstanceEventBatch(events, malformed);
    }

    /// <summary>The JSON EventBridge delivers for <paramref name="kind"/> (what the simulator enqueues).</summary>
    public static string Write(string eventId, InstanceEventKind kind, string accountId, string region, string instanceId, DateTimeOffset time,
        string? instanceAction = null, string? state = null)
    {
        var detail = new JsonObject { ["instance-id"] = instanceId };
        if (instanceAction is not null) detail["instance-action"] = instanceAction;
        if (state is not null) detail["state"] = state;
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = eventId,
            ["detail-type"] = kind switch
            {
                InstanceEventKind.InterruptionWarning => InterruptionWarning,
                InstanceEventKind.RebalanceRecommendation => RebalanceRecommendation,
                _ => StateChange,
            },
            ["source"] = Source,
            ["account"] = accountId,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray($"arn:aws:ec2:{region}:{accountId}:instance/{instanceId}"),
            ["detail"] = detail,
        }.ToJsonString();
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
