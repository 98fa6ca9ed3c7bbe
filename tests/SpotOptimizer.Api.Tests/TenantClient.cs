using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Api.Http;

namespace SpotOptimizer.Api.Tests;

/// <summary>A signed-up tenant talking to the API over HTTP, with the API's own JSON conventions.</summary>
public sealed class TenantClient(HttpClient http, string token, string organizationId, string email)
{
    public HttpClient Http { get; } = http;

    public string Token { get; } = token;

    public string OrganizationId { get; } = organizationId;

    public string Email { get; } = email;

    public const string Password = "Correct-Horse-42";

    public static async Task<TenantClient> SignUpAsync(SpotOptimizerApp app, string? email = null)
    {
        email ??= $"owner-{Guid.NewGuid():N}@example.com";
        var http = app.CreateClient();
        using var response = await http.PostAsJsonAsync("/api/auth/signup", new { org_name = "Acme " + email[..8], email, password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReadAsync(response);
        var token = body.GetProperty("token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TenantClient(http, token, body.GetProperty("organization_id").GetString()!, email);
    }

    public const string DemoEmail = "demo@spotoptimizer.local";

    /// <summary>Signs in as the embedded default's demo tenant, which is seeded in the background after start.</summary>
    public static Task<TenantClient> SignInDemoAsync(SpotOptimizerApp app, string password) => SignInAsync(app, DemoEmail, password);

    /// <summary>Signs in as a user the platform creates itself (the demo user, the configured super admin), waiting until it exists.</summary>
    public static async Task<TenantClient> SignInAsync(SpotOptimizerApp app, string email, string password)
    {
        var http = app.CreateClient();
        var token = await SpotOptimizer.Testing.Eventually.Wait<string?>(
            async () =>
            {
                using var login = await http.PostAsJsonAsync("/api/auth/token", new { email, password });
                return login.IsSuccessStatusCode ? (await ReadAsync(login)).GetProperty("jwt_token").GetString() : null;
            },
            t => t is not null,
            what: $"{email} to be able to sign in");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TenantClient(http, token!, "", email);
    }

    public async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(url);
        return await ExpectAsync(response, expected);
    }

    public async Task<JsonElement> PostJsonAsync(string url, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = body is null ? await Http.PostAsync(url, null) : await Http.PostAsJsonAsync(url, body);
        return await ExpectAsync(response, expected);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static JsonSerializerOptions Json => ApiJson.Options;
}
