using Microsoft.JSInterop;

namespace SpotOptimizer.Dashboard.Services;

/// <summary>
/// The signed-in user's access token, kept in the tab's sessionStorage so a reload stays signed in and closing the tab
/// signs out. The UI never sees the password after sign-in, and holds no other secret.
/// </summary>
public sealed class Session(IJSRuntime js)
{
    private const string Key = "spotoptimizer.access_token";
    private string? _token;
    private bool _loaded;

    public event Action? Changed;

    public async ValueTask<string?> TokenAsync()
    {
        if (!_loaded)
        {
            _token = await js.InvokeAsync<string?>("sessionStorage.getItem", Key);
            _loaded = true;
        }

        return _token;
    }

    public async ValueTask SignInAsync(string token)
    {
        (_token, _loaded) = (token, true);
        await js.InvokeVoidAsync("sessionStorage.setItem", Key, token);
        Changed?.Invoke();
    }

    public async ValueTask SignOutAsync()
    {
        (_token, _loaded) = (null, true);
        await js.InvokeVoidAsync("sessionStorage.removeItem", Key);
        await js.InvokeVoidAsync("sessionStorage.removeItem", AdminKey);
        await js.InvokeVoidAsync("sessionStorage.removeItem", ClientKey);
        Changed?.Invoke();
    }

    private const string AdminKey = "spotoptimizer.admin_token";
    private const string ClientKey = "spotoptimizer.impersonated_client";

    /// <summary>The client a super admin is acting as, or null.</summary>
    public ValueTask<string?> ImpersonatingAsync() => js.InvokeAsync<string?>("sessionStorage.getItem", ClientKey);

    /// <summary>A super admin acts as a client with the impersonation token; the admin's own token is kept to come back.</summary>
    public async ValueTask StartImpersonationAsync(string impersonationToken, string clientName)
    {
        await js.InvokeVoidAsync("sessionStorage.setItem", AdminKey, await TokenAsync());
        await js.InvokeVoidAsync("sessionStorage.setItem", ClientKey, clientName);
        await SignInAsync(impersonationToken);
    }

    public async ValueTask StopImpersonationAsync()
    {
        var admin = await js.InvokeAsync<string?>("sessionStorage.getItem", AdminKey);
        await js.InvokeVoidAsync("sessionStorage.removeItem", AdminKey);
        await js.InvokeVoidAsync("sessionStorage.removeItem", ClientKey);
        if (admin is null) await SignOutAsync();
        else await SignInAsync(admin);
    }
}
