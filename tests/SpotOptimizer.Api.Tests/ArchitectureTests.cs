using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// The arrows between projects: contracts depend on nothing of ours; the API reaches grains only through their
/// contracts (it hosts the silo through Silo's composition root, never a grain class); Tenancy knows no actor runtime.
/// Checked on the compiled assemblies' metadata, so a stray <c>using</c> cannot slip through.
/// </summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void GrainsInterfaces_ReferencesOnlyOrleansAndTheFramework()
    {
        var ours = References("SpotOptimizer.Grains.Interfaces").Where(r => r.StartsWith("SpotOptimizer.", StringComparison.Ordinal));
        Assert.Empty(ours);
    }

    [Fact]
    public void Tenancy_DoesNotReferenceTheActorRuntime()
    {
        Assert.DoesNotContain(References("SpotOptimizer.Tenancy"), r => r.StartsWith("Orleans", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_UsesNoTypeOfTheGrainsAssembly()
    {
        var used = TypesUsedFrom("SpotOptimizer.Api", "SpotOptimizer.Grains");
        Assert.Empty(used);
    }

    private static IReadOnlyList<string> References(string assembly) =>
        [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!)];

    /// <summary>The type references in <paramref name="assembly"/>'s metadata that resolve to <paramref name="target"/>.</summary>
    private static IReadOnlyList<string> TypesUsedFrom(string assembly, string target)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{assembly}.dll");
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var targets = metadata.AssemblyReferences
            .Where(h => metadata.GetString(metadata.GetAssemblyReference(h).Name) == target)
            .Select(h => (EntityHandle)h)
            .ToHashSet();
        return [.. metadata.TypeReferences
            .Select(metadata.GetTypeReference)
            .Where(t => targets.Contains(ResolutionScopeRoot(metadata, t)))
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")];
    }

    private static EntityHandle ResolutionScopeRoot(MetadataReader metadata, TypeReference type) =>
        type.ResolutionScope.Kind == HandleKind.TypeReference
            ? ResolutionScopeRoot(metadata, metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope))
            : type.ResolutionScope;
}
