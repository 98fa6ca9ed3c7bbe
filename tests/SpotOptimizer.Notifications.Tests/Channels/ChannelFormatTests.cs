using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Notifications.Channels;
using SpotOptimizer.Notifications.Mail;
using SpotOptimizer.Notifications.Outbox;
using SpotOptimizer.Notifications.Rules;
using SpotOptimizer.Notifications.Tests.Delivery;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Notifications.Tests.Channels;

/// <summary>Each channel's message against its documented format, sent to a real receiver (HTTP or SMTP).</summary>
public sealed class ChannelFormatTests
{
    private static readonly NotificationEvent Sample = NotificationHost.Event("org-1", "ledger:7") with
    {
        Facts = Enumerable.Range(1, 12).ToDictionary(i => $"Fact {i}", i => $"value {i}", StringComparer.Ordinal),
    };

    [Fact]
    public void SlackMessage_Always_HasFallbackTextAndBlockKitBlocks()
    {
        using var json = JsonDocument.Parse(SlackChannel.Message(Sample));
        var root = json.RootElement;

        Assert.Equal("Optimization job failed: A job failed.", root.GetProperty("text").GetString());
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("section", blocks[1].GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[1].GetProperty("text").GetProperty("type").GetString());
        // 12 facts: two sections, as Slack allows at most 10 fields in one.
        var fieldSections = blocks.Where(b => b.TryGetProperty("fields", out _)).ToList();
        Assert.Equal([10, 2], fieldSections.Select(s => s.GetProperty("fields").GetArrayLength()));
        Assert.Equal("context", blocks[^1].GetProperty("type").GetString());
    }

    [Fact]
    public void TeamsMessage_Always_IsAMessageWithOneAdaptiveCardAttachment()
    {
        using var json = JsonDocument.Parse(TeamsChannel.Message(Sample));
        var root = json.RootElement;

        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal("TextBlock", body[0].GetProperty("type").GetString());
        Assert.Equal("Optimization job failed", body[0].GetProperty("text").GetString());
        var facts = body.Single(b => b.GetProperty("type").GetString() == "FactSet").GetProperty("facts");
        Assert.Equal(12, facts.GetArrayLength());
        Assert.Equal("Fact 1", facts[0].GetProperty("title").GetString());
        Assert.Equal("value 1", facts[0].GetProperty("value").GetString());
    }

    [Theory]
    [InlineData(ChannelNames.Slack)]
    [InlineData(ChannelNames.Teams)]
    public async Task Send_RealReceiver_PostsTheFormattedJson(string channelName)
    {
        using var receiver = new WebhookReceiver();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var clients = services.GetRequiredService<IHttpClientFactory>();
        INotificationChannel channel = channelName == ChannelNames.Slack ? new SlackChannel(clients) : new TeamsChannel(clients);

        var result = await channel.SendAsync(Item(channelName, receiver.Url()), Sample, CancellationToken.None);

        Assert.True(result.Delivered, result.Error);
        var request = Assert.Single(receiver.Received);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var expected = channelName == ChannelNames.Slack ? SlackChannel.Message(Sample) : TeamsChannel.Message(Sample);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), request.Text);
    }

    [Fact]
    public async Task EmailChannel_SmtpServer_SendsSubjectFactsToEveryRecipient()
    {
        using var sink = new SmtpSink();
        var mailer = new SmtpMailer(Options.Create(new MailOptions { Host = "127.0.0.1", Port = sink.Port, Security = "none" }), NullLogger<SmtpMailer>.Instance);

        var result = await new EmailChannel(mailer).SendAsync(Item(ChannelNames.Email, "ops@example.com,lead@example.com"), Sample, CancellationToken.None);

        Assert.True(result.Delivered, result.Error);
        var mail = await sink.WaitForAsync("lead@example.com");
        Assert.Equal("[SpotOptimizer] Optimization job failed", mail.Subject);
        Assert.Contains("Fact 12: value 12", mail.Body, StringComparison.Ordinal);
        Assert.Contains(mail.To, a => a.Contains("ops@example.com", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EmailChannel_NoServer_ReportsARetryableFailure()
    {
        int closedPort;
        using (var sink = new SmtpSink()) closedPort = sink.Port;
        var mailer = new SmtpMailer(Options.Create(new MailOptions { Host = "127.0.0.1", Port = closedPort, Security = "none", Timeout = TimeSpan.FromSeconds(5) }),
            NullLogger<SmtpMailer>.Instance);

        var result = await new EmailChannel(mailer).SendAsync(Item(ChannelNames.Email, "ops@example.com"), Sample, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Retryable);
    }

    private static OutboxItem Item(string channel, string target) => new(1, "org-1", "ledger:7", NotificationEvents.JobFailed, "rule_x", channel, target, "{}", 0);
}
