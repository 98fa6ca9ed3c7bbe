using System.Globalization;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>AWS-shaped identifiers drawn from a seeded <see cref="Random"/>, so a seed reproduces them.</summary>
internal static class SimulatedIds
{
    private const string Hex = "0123456789abcdef";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Base64ish = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string InstanceId(Random rng) => "i-0" + Draw(rng, Hex, 16);

    public static string Guid(Random rng)
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    public static string EndpointHost(Random rng) => Draw(rng, Hex, 32).ToUpperInvariant();

    public static string AccessKeyId(Random rng) => "ASIA" + Draw(rng, Upper, 16);

    public static string Secret(Random rng) => Draw(rng, Base64ish, 40);

    public static string SessionToken(Random rng) => "FwoGZXIvYXdzE" + Draw(rng, Base64ish, 180);

    /// <summary>A private IP in 10.0.0.0/16 and the EC2 private DNS name for it.</summary>
    public static (string Ip, string DnsName) PrivateAddress(Random rng, string region)
    {
        var ip = string.Create(CultureInfo.InvariantCulture, $"10.0.{rng.Next(0, 256)}.{rng.Next(1, 255)}");
        var suffix = region == "us-east-1" ? "ec2.internal" : $"{region}.compute.internal";
        return (ip, $"ip-{ip.Replace('.', '-')}.{suffix}");
    }

    private static string Draw(Random rng, string alphabet, int length) =>
        string.Create(length, (rng, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = state.alphabet[state.rng.Next(state.alphabet.Length)];
        });
}
