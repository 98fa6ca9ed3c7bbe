using System.Reflection;

namespace SpotOptimizer.Runtime.Activation;

/// <summary>A grain class and the stable type name it is stored under.</summary>
internal sealed record GrainClass(Type ClassType, string TypeName);

/// <summary>
/// Maps grain interfaces to the one class implementing each, validated once at start-up so that a bad
/// contract fails the host, not the first call in production.
/// </summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClass> _byInterface = [];
    private readonly Dictionary<string, GrainClass> _byTypeName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<Assembly> assemblies)
    {
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (type.IsAbstract || !typeof(Grain).IsAssignableFrom(type)) continue;
            Register(type);
        }
    }

    public IReadOnlyCollection<GrainClass> Classes => _byTypeName.Values;

    public GrainClass ForInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException(
                $"No grain class implements {grainInterface.Name}; register its assembly with AddGrains(...).");

    public GrainClass ForTypeName(string typeName) =>
        _byTypeName.TryGetValue(typeName, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException($"Unknown grain type '{typeName}'.");

    public static string TypeNameOf(Type classType)
    {
        var explicitName = classType.GetCustomAttribute<GrainTypeAttribute>()?.Name;
        if (explicitName is not null) return explicitName;
        var name = classType.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length) name = name[..^"Grain".Length];
        return name.ToLowerInvariant();
    }

    private void Register(Type classType)
    {
        var grainClass = new GrainClass(classType, TypeNameOf(classType));
        if (!_byTypeName.TryAdd(grainClass.TypeName, grainClass))
        {
            throw new InvalidOperationException(
                $"Grain classes {_byTypeName[grainClass.TypeName].ClassType.Name} and {classType.Name} share the type name '{grainClass.TypeName}'.");
        }

        foreach (var grainInterface in classType.GetInterfaces().Where(IsContract))
        {
            GrainInterfaceValidator.Validate(grainInterface);
            if (!_byInterface.TryAdd(grainInterface, grainClass))
            {
                throw new InvalidOperationException(
                    $"{grainInterface.Name} is implemented by both {_byInterface[grainInterface].ClassType.Name} and {classType.Name}.");
            }
        }
    }

    private static bool IsContract(Type grainInterface) =>
        typeof(IGrain).IsAssignableFrom(grainInterface)
        && grainInterface != typeof(IGrain)
        && grainInterface != typeof(IGrainWithStringKey)
        && grainInterface != typeof(IRemindable);
}
