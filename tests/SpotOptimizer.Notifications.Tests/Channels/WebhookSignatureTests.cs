using System.Text;
using SpotOptimizer.Notifications.Channels;

namespace SpotOptimizer.Notifications.Tests.Channels;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"ledger:1","event":"job_failed"}""");

    [Fact]
    public void Sign_KnownSecretAndBody_IsHmacSha256OfTimestampDotBody()
    {
        var header = WebhookSignature.Sign("whsec_test", At, Body);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("whsec_test"), Encoding.UTF8.GetBytes($"{At.ToUnixTimeSeconds()}.{Encoding.UTF8.GetString(Body)}")));
        Assert.Equal($"t={At.ToUnixTimeSeconds()},v1={expected}", header);
        Assert.True(WebhookSignature.Verify(header, "whsec_test", Body, At.AddSeconds(30), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_TamperedBodyWrongSecretOrOldTimestamp_Fails()
    {
        var header = WebhookSignature.Sign("whsec_test", At, Body);

        Assert.False(WebhookSignature.Verify(header, "whsec_test", Encoding.UTF8.GetBytes("""{"id":"ledger:2"}"""), At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "whsec_other", Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(header, "whsec_test", Body, At.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(null, "whsec_test", Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("v1=abc", "whsec_test", Body, At, TimeSpan.FromMinutes(5)));
    }
}
