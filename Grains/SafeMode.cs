using Microsoft.Extensions.Options;

namespace SpotOptimizer.Grains;

/// <summary>
/// Whether SAFE_MODE holds on this silo now: configured (<c>Safety:SafeMode</c>, a floor no one can lower at runtime)
/// or switched on by a super admin (the platform's switch, which <see cref="Platform.SafeModeWatcher"/> brings here
/// every few seconds). Everything that decides between acting and a dry run asks this, at the moment it acts.
/// </summary>
public sealed class SafeMode(IOptions<SafetyOptions> options)
{
    private volatile bool _switchedOn;

    public bool Configured => options.Value.SafeMode;

    public bool SwitchedOn => _switchedOn;

    public bool IsOn => Configured || _switchedOn;

    internal void Observe(bool switchedOn) => _switchedOn = switchedOn;
}
