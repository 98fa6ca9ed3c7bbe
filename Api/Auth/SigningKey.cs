using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Auth;

/// <summary>
/// The JWT signing key: from configuration in production; in the embedded default, generated once and kept in
/// the data directory so tokens (and logouts) stay valid across restarts.
/// </summary>
public static class SigningKey
{
    private const string FileName = "jwt-signing.key";

    public static SymmetricSecurityKey Resolve(AuthOptions options, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey)) return FromBase64(options.SigningKey, "Auth:SigningKey");
        if (!string.Equals(configuration[SiloStorage.ProviderKey] ?? "sqlite", "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            // A key file on one machine would give every other instance of a shared database a different key.
            throw new InvalidOperationException("Auth:SigningKey (base64, at least 32 bytes) is required when Storage:Provider is not sqlite.");
        }

        var directory = Path.GetFullPath(configuration[SiloStorage.DataDirectoryKey] is { Length: > 0 } dir ? dir : SiloStorage.DefaultDataDirectory);
        var file = Path.Combine(directory, FileName);
        if (File.Exists(file)) return FromBase64(File.ReadAllText(file).Trim(), file);

        Directory.CreateDirectory(directory);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        File.WriteAllText(file, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return FromBase64(key, file);
    }

    private static SymmetricSecurityKey FromBase64(string value, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The JWT signing key in {source} is not base64.");
        }

        if (bytes.Length < 32) throw new InvalidOperationException($"The JWT signing key in {source} must be at least 32 bytes.");
        return new SymmetricSecurityKey(bytes);
    }
}
