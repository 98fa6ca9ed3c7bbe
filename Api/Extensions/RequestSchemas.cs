using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using SpotOptimizer.Api.Http;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// The request body schemas as the API reads them. The generator marks every constructor parameter of a record
/// required, but request records take nullable properties and validate them (<see cref="IValidatable"/>), so that list
/// is wrong. Instead a property is required when the API rejects an empty object (<c>{}</c>) for lacking it, read from
/// the validation itself so it cannot drift from what the API enforces; fields required only together with another
/// (a commitment's <c>region</c> for some kinds) are not listed. Items validated elsewhere (a notification rule, by the
/// URL policy) list none. Properties the API never reads (a getter such as a template's <c>warnings</c>) are left out.
/// </summary>
internal static class RequestSchemas
{
    private const string At = "item";

    public static void AddTo(OpenApiOptions options)
    {
        var items = ItemsOf(typeof(IValidatable).Assembly.GetTypes().Where(t => typeof(IValidatable).IsAssignableFrom(t) && !t.IsAbstract));
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            var request = typeof(IValidatable).IsAssignableFrom(type) && !type.IsAbstract;
            if ((!request && !items.Contains(type)) || schema.Properties is not { } properties) return Task.CompletedTask;

            foreach (var unread in context.JsonTypeInfo.Properties.Where(p => p.Set is null)) properties.Remove(unread.Name);
            var errors = new ValidationErrors();
            var empty = JsonSerializer.Deserialize("{}", type, ApiJson.Options);
            if (empty is IValidatable body) body.Validate(errors);
            else if (empty is IValidatableItem item) item.Validate(errors, At);
            var fields = errors.ToDictionary().Keys.Select(k => request ? k : k.StartsWith(At + ".", StringComparison.Ordinal) ? k[(At.Length + 1)..] : "");
            var required = fields.Where(properties.ContainsKey).ToHashSet(StringComparer.Ordinal);
            schema.Required = required.Count > 0 ? required : null;
            return Task.CompletedTask;
        });
    }

    /// <summary>The API's own types inside request bodies (list elements included), which only requests use.</summary>
    private static FrozenSet<Type> ItemsOf(IEnumerable<Type> requests)
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(requests);
        while (pending.TryPop(out var type))
        {
            // What the API reads: a getter only written back (a template's warnings) is a response's type, not a request's.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            {
                var inner = Element(property.PropertyType);
                if (inner.Assembly == typeof(RequestSchemas).Assembly && !typeof(IValidatable).IsAssignableFrom(inner) && found.Add(inner)) pending.Push(inner);
            }
        }

        return found.ToFrozenSet();
    }

    private static Type Element(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } value) return value;
        if (type.IsArray) return Element(type.GetElementType()!);
        return type.IsGenericType && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } sequence
            ? Element(sequence.GetGenericArguments()[0])
            : type;
    }
}
