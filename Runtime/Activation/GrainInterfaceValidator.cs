using System.Reflection;

namespace SpotOptimizer.Runtime.Activation;

/// <summary>
/// Grain methods are messages: asynchronous, with value arguments. Types that can never cross a process
/// boundary (delegates, tasks, streams, pointers, by-ref) are refused when the host starts.
/// </summary>
internal static class GrainInterfaceValidator
{
    public static void Validate(Type grainInterface)
    {
        foreach (var method in grainInterface.GetMethods())
        {
            var where = $"{grainInterface.Name}.{method.Name}";
            if (method.IsGenericMethodDefinition) throw new InvalidOperationException($"{where}: generic grain methods are not supported.");
            if (method.ReturnType != typeof(Task) && !IsTaskOfT(method.ReturnType))
            {
                throw new InvalidOperationException($"{where}: grain methods must return Task or Task<T>, not {method.ReturnType.Name}.");
            }

            if (IsTaskOfT(method.ReturnType)) EnsureValue(method.ReturnType.GetGenericArguments()[0], $"{where} result");
            foreach (var parameter in method.GetParameters())
            {
                if (parameter.ParameterType.IsByRef) throw new InvalidOperationException($"{where}: ref/out parameter '{parameter.Name}' is not a message.");
                EnsureValue(parameter.ParameterType, $"{where} parameter '{parameter.Name}'");
            }
        }
    }

    internal static bool IsTaskOfT(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>);

    private static void EnsureValue(Type type, string where)
    {
        if (typeof(Delegate).IsAssignableFrom(type) || typeof(Task).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
            || type.IsPointer || type == typeof(CancellationToken) || type == typeof(object))
        {
            throw new InvalidOperationException($"{where}: {type.Name} is not a serializable value.");
        }
    }
}
