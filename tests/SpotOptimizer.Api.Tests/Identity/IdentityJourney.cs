using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;
using SpotOptimizer.Api.Tests.Auth;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Identity;

/// <summary>A user's tokens as the API handed them out.</summary>
public sealed record SignedIn(string Email, string UserId, string OrganizationId, string Access, string Refresh)
{
    public string SessionId => TestJwt.Payload(Access).GetProperty("sid").GetString()!;

    public string OrgRole => TestJwt.Payload(Access).GetProperty("org_role").GetString()!;
}

/// <summary>Sign-up, sign-in, refresh, invitations and e-mailed links through HTTP, for the identity tests.</summary>
public static partial class IdentityJourney
{
    public const string Password = TenantClient.Password;
    public const string NewPassword = "Battery-Staple-77";

    public static string NewEmail(string what = "user") => $"{what}-{Guid.NewGuid():N}@example.com";

    public static async Task<SignedIn> SignUpAsync(WebApplicationFactory<Program> app, string? email = null)
    {
        email ??= NewEmail("owner");
        using var response = await PostAsync(app, "/api/auth/signup", new { org_name = "Acme", email, password = Password });
        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        return new SignedIn(email, body.GetProperty("user_id").GetString()!, body.GetProperty("organization_id").GetString()!,
            body.GetProperty("token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    public static async Task<SignedIn> SignInAsync(WebApplicationFactory<Program> app, string email, string password = Password)
    {
        using var response = await PostAsync(app, "/api/auth/token", new { email, password });
        return Read(email, await TenantClient.ExpectAsync(response, HttpStatusCode.OK));
    }

    public static async Task<SignedIn> RefreshAsync(WebApplicationFactory<Program> app, SignedIn user)
    {
        using var response = await PostAsync(app, "/api/auth/refresh", new { refresh_token = user.Refresh });
        return Read(user.Email, await TenantClient.ExpectAsync(response, HttpStatusCode.OK));
    }

    /// <summary>The owner invites <paramref name="role"/>; the invitee follows the e-mailed link and is signed in.</summary>
    public static async Task<SignedIn> InviteAndAcceptAsync(WebApplicationFactory<Program> app, SmtpSink mail, SignedIn owner, string role)
    {
        var email = NewEmail(role);
        using (var invited = await PostAsync(app, "/api/team/invitations", new { email, role }, owner.Access))
        {
            await TenantClient.ExpectAsync(invited, HttpStatusCode.Created);
        }

        var token = TokenFromLink((await mail.WaitForAsync(email)).Body, "/accept-invitation");
        using var accepted = await PostAsync(app, "/api/auth/invitations/accept", new { token, password = Password });
        var body = await TenantClient.ExpectAsync(accepted, HttpStatusCode.Created);
        return new SignedIn(email, body.GetProperty("user_id").GetString()!, body.GetProperty("organization_id").GetString()!,
            body.GetProperty("token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>The token of the link to <paramref name="path"/> in an e-mail body (undoing quoted-printable line folding).</summary>
    public static string TokenFromLink(string body, string path)
    {
        var text = body.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        var match = Regex.Match(text, Regex.Escape(path) + @"\?token=([A-Za-z0-9_%\-]+)");
        Assert.True(match.Success, $"no {path} link in: {text}");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    public static async Task<IReadOnlyList<string>> ActivityAsync(WebApplicationFactory<Program> app, SignedIn reader)
    {
        using var response = await GetAsync(app, "/api/activity/live?limit=200", reader.Access);
        return [.. (await TenantClient.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("events").EnumerateArray().Select(e => e.GetRawText())];
    }

    public static Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> app, string url, string? token) => SendAsync(app, HttpMethod.Get, url, null, token);

    public static Task<HttpResponseMessage> PostAsync(WebApplicationFactory<Program> app, string url, object? body, string? token = null) =>
        SendAsync(app, HttpMethod.Post, url, body, token);

    public static async Task<HttpResponseMessage> SendAsync(WebApplicationFactory<Program> app, HttpMethod method, string url, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var http = app.CreateClient();
        return await http.SendAsync(request);
    }

    public static async Task<HttpStatusCode> StatusAsync(WebApplicationFactory<Program> app, string url, string token)
    {
        using var response = await GetAsync(app, url, token);
        return response.StatusCode;
    }

    /// <summary>
    /// The app with the product reading <paramref name="clock"/>; Orleans's own areas keep the real clock, as in
    /// <see cref="TestSilo"/>, so moving the product's time does not stop the silo.
    /// </summary>
    public static WebApplicationFactory<Program> WithClock(this SpotOptimizerApp app, TimeProvider clock) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton(clock));
            foreach (var area in new[]
                     {
                         TimeProviderNames.Grains, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
                         TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory, Orleans.Reminders.ReminderTimeProviderNames.Reminders,
                     })
            {
                services.AddKeyedSingleton(area, TimeProvider.System);
            }
        }));

    private static SignedIn Read(string email, JsonElement body)
    {
        var access = body.GetProperty("jwt_token").GetString()!;
        var claims = TestJwt.Payload(access);
        return new SignedIn(email, claims.GetProperty("sub").GetString()!, claims.GetProperty("org").GetString()!, access, body.GetProperty("refresh_token").GetString()!);
    }
}

/// <summary>The real clock plus whatever a test moved it by; timers stay real.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
