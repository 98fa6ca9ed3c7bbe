namespace SpotOptimizer.Api.Lab;

/// <summary>Limits of the model sandbox (<c>Lab:Sandbox</c>); see <see cref="ModelSandboxHost"/> for how each is enforced.</summary>
public sealed class ModelSandboxOptions
{
    public const string Section = "Lab:Sandbox";

    /// <summary>Larger uploads are refused before the sandbox starts (413 <c>model_too_large</c>).</summary>
    public long MaxModelBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Killed by the parent after this, whatever it is doing (<c>model_timeout</c>).</summary>
    public TimeSpan WallClock { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>RLIMIT_CPU: the kernel kills the process after this much CPU time (<c>model_timeout</c>).</summary>
    public int CpuSeconds { get; set; } = 20;

    /// <summary>
    /// RLIMIT_AS, the address space. The .NET runtime and ONNX Runtime reserve far more than they touch, so this is
    /// generous; the managed heap is held to <see cref="ManagedHeapBytes"/> separately.
    /// </summary>
    public long AddressSpaceBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>DOTNET_GCHeapHardLimit of the sandbox: an out-of-memory there, not in the Api.</summary>
    public long ManagedHeapBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Run in a network namespace of its own (no interfaces but loopback) when <c>unshare</c> can make one.</summary>
    public bool IsolateNetwork { get; set; } = true;

    /// <summary>The sandbox assembly; by default the one built beside the Api (it is a project reference).</summary>
    public string? AssemblyPath { get; set; }
}
