using System.Collections.Concurrent;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// The response schemas as a client generator should read them: one component per type, and numbers typed as the
/// wire writes them.
/// </summary>
internal static class ResponseSchemas
{
    public static void AddTo(OpenApiOptions options)
    {
        // The default names a component after the type alone, so two records of the same name (a nested VerifyResponse in
        // two APIs) silently share the first one's schema: the second endpoint would document the wrong body. Fail instead.
        var owners = new ConcurrentDictionary<string, Type>(StringComparer.Ordinal);
        options.CreateSchemaReferenceId = typeInfo =>
        {
            var id = OpenApiOptions.CreateDefaultSchemaReferenceId(typeInfo);
            if (id is null) return null;
            var owner = owners.GetOrAdd(id, typeInfo.Type);
            return owner == typeInfo.Type
                ? id
                : throw new InvalidOperationException($"{owner.FullName} and {typeInfo.Type.FullName} would share the OpenAPI schema '{id}': rename one.");
        };

        // The web defaults read numbers from strings too, which the generator documents as "integer or string" with a
        // pattern; the API only ever writes numbers, and a generated client should type them so.
        options.AddSchemaTransformer((schema, _, _) =>
        {
            if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && type.HasFlag(JsonSchemaType.String))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }

            return Task.CompletedTask;
        });
    }
}
