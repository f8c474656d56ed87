using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
namespace Mep.Staffing.Scenarios;

/// <summary>A saved scenario; planners edit it with If-Match (its row version) and copy it to try variants.</summary>
public sealed class Scenario
{
    private Scenario()
    {
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public string? Description { get; private set; }
    public ScenarioDefinition Definition { get; private set; } = null!;

    /// <summary>The scenario this one was copied from, if any.</summary>
    public Guid? CopiedFrom { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    public static Scenario Create(string name, string? description, ScenarioDefinition definition, string actor, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now), Name = name, Description = description, Definition = definition,
        CreatedAt = now, CreatedBy = actor, UpdatedAt = now, UpdatedBy = actor,
    };

    public Scenario Copy(string name, string actor, DateTimeOffset now)
    {
        var copy = Create(name, Description, Definition, actor, now);
        copy.CopiedFrom = Id;
        return copy;
    }

    public void Change(string name, string? description, ScenarioDefinition definition, string actor, DateTimeOffset now) =>
        (Name, Description, Definition, UpdatedBy, UpdatedAt) = (name, description, definition, actor, now);
}

internal sealed class ScenarioConfiguration : IEntityTypeConfiguration<Scenario>
{
    public void Configure(EntityTypeBuilder<Scenario> scenario)
    {
        scenario.ToTable("scenarios");
        scenario.HasKey(s => s.Id);
        scenario.HasIndex(s => s.Name);
        scenario.Property(s => s.Definition).IsJsonColumn();
    }
}
