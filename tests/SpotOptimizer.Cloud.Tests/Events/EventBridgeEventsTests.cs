namespace SpotOptimizer.Cloud.Tests.Events;

/// <summary>EventBridge's EC2 events as the EC2 user guide shows them (ids and times filled in), and what is not one.</summary>
public sealed class EventBridgeEventsTests
{
    // "Spot Instance interruption notices" — EC2 Spot Instance Interruption Warning event.
    private const string InterruptionWarning = """
        {
            "version": "0",
            "id": "12345678-1234-1234-1234-123456789012",
            "detail-type": "EC2 Spot Instance Interruption Warning",
            "source": "aws.ec2",
            "account": "123456789012",
            "time": "2026-03-02T09:30:00Z",
            "region": "us-east-2",
            "resources": ["arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0"],
            "detail": {
                "instance-id": "i-1234567890abcdef0",
                "instance-action": "terminate"
            }
        }
        """;

    // "EC2 instance rebalance recommendations" — the example event.
    private const string RebalanceRecommendation = """
        {
            "version": "0",
            "id": "12345678-1234-1234-1234-123456789013",
            "detail-type": "EC2 Instance Rebalance Recommendation",
            "source": "aws.ec2",
            "account": "123456789012",
            "time": "2026-03-02T09:28:10Z",
            "region": "us-east-2",
            "resources": ["arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0"],
            "detail": {
                "instance-id": "i-1234567890abcdef0"
            }
        }
        """;

    // "Amazon EventBridge events for Amazon EC2" — an instance state-change notification.
    private const string StateChange = """
        {
            "id": "7bf73129-1428-4cd3-a780-95db273d1602",
            "detail-type": "EC2 Instance State-change Notification",
            "source": "aws.ec2",
            "account": "123456789012",
            "time": "2026-03-02T09:32:00Z",
            "region": "us-east-2",
            "resources": ["arn:aws:ec2:us-east-2:123456789012:instance/i-1234567890abcdef0"],
            "detail": {
                "instance-id": "i-1234567890abcdef0",
                "state": "shutting-down"
            }
        }
        """;

    [Fact]
    public void Parse_InterruptionWarning_ReadsInstanceActionAndTime()
    {
        var (parsed, reason) = EventBridgeEvents.Parse(InterruptionWarning, "handle-1");

        Assert.Null(reason);
        Assert.Equal(new InstanceEvent("12345678-1234-1234-1234-123456789012", InstanceEventKind.InterruptionWarning, "i-1234567890abcdef0", "us-east-2",
            new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero), "handle-1", InstanceAction: "terminate"), parsed);
    }

    [Fact]
    public void Parse_RebalanceRecommendation_HasNoAction()
    {
        var (parsed, _) = EventBridgeEvents.Parse(RebalanceRecommendation, "handle-2");

        Assert.Equal(InstanceEventKind.RebalanceRecommendation, parsed!.Kind);
        Assert.Equal("i-1234567890abcdef0", parsed.InstanceId);
        Assert.Null(parsed.InstanceAction);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 28, 10, TimeSpan.Zero), parsed.Time);
    }

    [Fact]
    public void Parse_StateChange_ReadsTheState()
    {
        var (parsed, _) = EventBridgeEvents.Parse(StateChange, "handle-3");

        Assert.Equal(InstanceEventKind.StateChange, parsed!.Kind);
        Assert.Equal("shutting-down", parsed.State);
        Assert.Equal("7bf73129-1428-4cd3-a780-95db273d1602", parsed.EventId);
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2"}""", "unexpected detail-type")]
    [InlineData("""{"id":"x","detail-type":"EC2 Instance Rebalance Recommendation","source":"aws.autoscaling","time":"2026-03-02T09:30:00Z","region":"us-east-1","detail":{"instance-id":"i-1"}}""", "unexpected source")]
    [InlineData("""{"detail-type":"EC2 Instance Rebalance Recommendation","source":"aws.ec2","time":"2026-03-02T09:30:00Z","region":"us-east-1","detail":{"instance-id":"i-1"}}""", "no event id")]
    [InlineData("""{"id":"x","detail-type":"EC2 Instance Rebalance Recommendation","source":"aws.ec2","time":"yesterday","region":"us-east-1","detail":{"instance-id":"i-1"}}""", "unreadable time")]
    [InlineData("""{"id":"x","detail-type":"EC2 Instance Rebalance Recommendation","source":"aws.ec2","time":"2026-03-02T09:30:00Z","region":"us-east-1","detail":{}}""", "no instance-id")]
    [InlineData("""{"id":"x","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","time":"2026-03-02T09:30:00Z","region":"us-east-1","detail":{"instance-id":"i-1"}}""", "without a state")]
    public void Parse_WhatIsNoInstanceEvent_SaysWhy(string body, string reason)
    {
        var (parsed, why) = EventBridgeEvents.Parse(body, "handle");

        Assert.Null(parsed);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ThenParse_GivesTheSameEvent()
    {
        var time = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
        var body = EventBridgeEvents.Write("e-1", InstanceEventKind.InterruptionWarning, "111122223333", "us-east-1", "i-0abc", time, instanceAction: "terminate");

        var (parsed, _) = EventBridgeEvents.Parse(body, "h");

        Assert.Equal(new InstanceEvent("e-1", InstanceEventKind.InterruptionWarning, "i-0abc", "us-east-1", time, "h", "terminate"), parsed);
        Assert.Contains("\"resources\":[\"arn:aws:ec2:us-east-1:111122223333:instance/i-0abc\"]", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseBatch_SeparatesEventsFromMalformedMessages()
    {
        var batch = EventBridgeEvents.ParseBatch([("m1", "h1", InterruptionWarning), ("m2", "h2", "{}"), ("m3", "h3", StateChange)]);

        Assert.Equal(["h1", "h3"], batch.Events.Select(e => e.ReceiptHandle));
        Assert.Equal("m2", Assert.Single(batch.Malformed).MessageId);
        Assert.Equal(["h1", "h3", "h2"], batch.ReceiptHandles);
    }

    [Theory]
    [InlineData("https://sqs.us-east-1.amazonaws.com/111122223333/SpotOptimizerEvents", true)]
    [InlineData("https://sqs.us-east-1.amazonaws.com/SpotOptimizerEvents", false)]
    [InlineData("https://sqs.us-east-1.amazonaws.com/1111/SpotOptimizerEvents", false)]
    [InlineData("not a url", false)]
    public void QueueUrl_IsParsed(string url, bool valid)
    {
        Assert.Equal(valid, InstanceEventQueue.TryParseUrl(url, out var account, out var name));
        if (valid) Assert.Equal(("111122223333", InstanceEventQueue.QueueName), (account, name));
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/111122223333/SpotOptimizerEvents", InstanceEventQueue.UrlFor("us-east-1", "111122223333"));
    }
}
