using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Governance;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Grains.Governance;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class TemplateCatalogState
{
    public List<StoredTemplate> Templates { get; set; } = [];
}

/// <summary>A template as stored; deleted ones stay (soft delete) so the ledger's references keep meaning.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredTemplate(NodeTemplate Template, DateTimeOffset? DeletedAt);

public sealed class TemplateCatalogGrain(
    [PersistentState("templates")] IPersistentState<TemplateCatalogState> state, AuditLedger ledger, TimeProvider time)
    : Grain, ITemplateCatalogGrain
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private IEnumerable<NodeTemplate> Live => state.State.Templates.Where(t => t.DeletedAt is null).Select(t => t.Template);

    public Task<IReadOnlyList<NodeTemplate>> List() => Task.FromResult<IReadOnlyList<NodeTemplate>>([.. Live.OrderBy(t => t.CreatedAt)]);

    public async Task<NodeTemplate> Create(NodeTemplateDraft draft, string actor)
    {
        var template = new NodeTemplate(Guid.NewGuid().ToString("D"), draft.Name.Trim(), draft.Families, draft.Architectures, draft.Strategy,
            draft.MinVcpu, draft.MaxVcpu, IsDefault: !Live.Any(), UsedBy: [], time.GetUtcNow());
        state.State.Templates.Add(new StoredTemplate(template, null));
        await state.WriteStateAsync();
        await RecordAsync(actor, "template.created", template.Id, null, template);
        return template;
    }

    public async Task<bool> SetDefault(string templateId, string actor)
    {
        var target = Live.FirstOrDefault(t => t.Id == templateId);
        if (target is null) return false;
        var previous = Live.FirstOrDefault(t => t.IsDefault);
        if (previous?.Id == templateId) return true;
        Replace(t => t with { IsDefault = t.Id == templateId });
        await state.WriteStateAsync();
        await RecordAsync(actor, "template.default_changed", templateId, new { default_template = previous?.Id }, new { default_template = templateId });
        return true;
    }

    public async Task<TemplateDeletion> Delete(string templateId, string actor)
    {
        var index = state.State.Templates.FindIndex(t => t.DeletedAt is null && t.Template.Id == templateId);
        if (index < 0) return TemplateDeletion.NotFound;
        var stored = state.State.Templates[index];
        if (stored.Template.UsedBy.Count > 0) return TemplateDeletion.InUse;
        state.State.Templates[index] = stored with { DeletedAt = time.GetUtcNow(), Template = stored.Template with { IsDefault = false } };
        await state.WriteStateAsync();
        await RecordAsync(actor, "template.deleted", templateId, stored.Template, null);
        return TemplateDeletion.Deleted;
    }

    public async Task<bool> Assign(string clusterId, string? templateId)
    {
        if (templateId is not null && Live.All(t => t.Id != templateId)) return false;
        Replace(t => t with
        {
            UsedBy = t.Id == templateId ? [.. t.UsedBy.Where(c => c != clusterId), clusterId] : [.. t.UsedBy.Where(c => c != clusterId)],
        });
        await state.WriteStateAsync();
        return true;
    }

    private void Replace(Func<NodeTemplate, NodeTemplate> change)
    {
        for (var i = 0; i < state.State.Templates.Count; i++)
        {
            var stored = state.State.Templates[i];
            if (stored.DeletedAt is null) state.State.Templates[i] = stored with { Template = change(stored.Template) };
        }
    }

    private Task RecordAsync(string actor, string action, string templateId, object? before, object? after) =>
        ledger.RecordAsync(this.GetPrimaryKeyString(), actor, action, $"template:{templateId}",
            after is null ? null : JsonSerializer.Serialize(after, Json), CancellationToken.None,
            before: before is null ? null : JsonSerializer.Serialize(before, Json));
}
