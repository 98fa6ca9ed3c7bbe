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
        Changed?.Invoke();
    }
}
