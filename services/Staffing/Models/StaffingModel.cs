using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Models;

/// <summary>A staffing model: a name and its versions, each valid for a span of days; a calculation uses the version valid on its day.</summary>
public sealed class StaffingModel
{
    private readonly List<StaffingModelVersion> _versions = [];

    private StaffingModel()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Stable, URL-safe name ("hannover-mep-2020").</summary>
    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>Where the model's numbers come from, for the council paper's readers.</summary>
    public string Source { get; private set; } = string.Empty;

    /// <summary>Published models; only admins change them, planners make their own.</summary>
    public bool BuiltIn { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public IReadOnlyList<StaffingModelVersion> Versions => _versions;

    public static StaffingModel Create(string code, string name, string source, DateOnly validFrom, DateOnly? validUntil, ModelDefinition definition,
        string? note, string actor, DateTimeOffset now)
    {
        EnsureValidityInWindow(validFrom, validUntil);
        var model = new StaffingModel
        {
            Id = Guid.CreateVersion7(now), Code = code, Name = name, Source = source, BuiltIn = false, CreatedAt = now, CreatedBy = actor,
        };
        model._versions.Add(new StaffingModelVersion(model.Id, 1, validFrom, validUntil, definition, note, actor, now));
        return model;
    }

    /// <summary>The version valid on a day, or null where the model has none (before its first version, or in a gap).</summary>
    public StaffingModelVersion? VersionOn(DateOnly day) =>
        _versions.Where(v => v.ValidFrom <= day && (v.ValidUntil is null || v.ValidUntil >= day)).MaxBy(v => v.Version);

    /// <summary>The version valid on a day, for a calculation of that day: a day the model has no version for is refused, naming its versions.</summary>
    public StaffingModelVersion VersionValidOn(DateOnly day) => VersionOn(day) ?? throw new DomainRuleException("model-not-valid-on-day",
        $"Model '{Code}' has no version valid on {day:yyyy-MM-dd}; its versions: "
        + string.Join(", ", _versions.OrderBy(v => v.Version).Select(v => $"{v.Version} from {v.ValidFrom:yyyy-MM-dd}"
            + (v.ValidUntil is { } until ? $" to {until:yyyy-MM-dd}" : string.Empty))) + ".");

    /// <summary>
    /// A new version from <paramref name="validFrom"/>: it must start after the latest version started, which then ends the day
    /// before (if it ran longer). Earlier versions stay as they were, so past calculations can be repeated.
    /// </summary>
    public StaffingModelVersion AddVersion(DateOnly validFrom, DateOnly? validUntil, ModelDefinition definition, string? note, string actor,
        DateTimeOffset now)
    {
        EnsureValidityInWindow(validFrom, validUntil);
        var latest = _versions.MaxBy(v => v.ValidFrom)!;
        if (validFrom <= latest.ValidFrom)
        {
            throw new DomainRuleException("model-version-order",
                $"A new version must start after the latest one (version {latest.Version}, valid from {latest.ValidFrom:yyyy-MM-dd}); "
                + "earlier versions are kept unchanged so that past figures can be repeated.");
        }

        if (validUntil is { } until && until < validFrom)
        {
            throw new DomainRuleException("model-version-span", "validUntil is before validFrom.");
        }

        latest.EndBefore(validFrom);
        var version = new StaffingModelVersion(Id, _versions.Max(v => v.Version) + 1, validFrom, validUntil, definition, note, actor, now);
        _versions.Add(version);
        return version;
    }

    /// <summary>Calculations and scenarios look a version up by day, from 2000 to 2100: a version valid from year 1 or 9999 is a mistake.</summary>
    private static void EnsureValidityInWindow(DateOnly validFrom, DateOnly? validUntil)
    {
        CalculationWindow.Ensure("validFrom", validFrom);
        CalculationWindow.Ensure("validUntil", validUntil);
    }
}

public sealed class StaffingModelVersion
{
    private StaffingModelVersion()
    {
    }

    internal StaffingModelVersion(Guid modelId, int version, DateOnly validFrom, DateOnly? validUntil, ModelDefinition definition, string? note,
        string actor, DateTimeOffset now) =>
        (ModelId, Version, ValidFrom, ValidUntil, Definition, Note, CreatedBy, CreatedAt) =
        (modelId, version, validFrom, validUntil, definition, note, actor, now);

    public Guid ModelId { get; private set; }
    public int Version { get; private set; }
    public DateOnly ValidFrom { get; private set; }

    /// <summary>Last day the version is valid; null: until a newer version starts.</summary>
    public DateOnly? ValidUntil { get; private set; }

    public ModelDefinition Definition { get; private set; } = null!;
    public string? Note { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;

    internal void EndBefore(DateOnly day)
    {
        if (ValidUntil is null || ValidUntil >= day)
        {
            ValidUntil = day.AddDays(-1);
        }
    }
}

internal sealed class StaffingModelConfiguration : IEntityTypeConfiguration<StaffingModel>
{
    public void Configure(EntityTypeBuilder<StaffingModel> model)
    {
        model.ToTable("staffing_models");
        model.HasKey(m => m.Id);
        model.HasIndex(m => m.Code).IsUnique();
        model.HasMany(m => m.Versions).WithOne().HasForeignKey(v => v.ModelId).OnDelete(DeleteBehavior.Cascade);
        model.Navigation(m => m.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class StaffingModelVersionConfiguration : IEntityTypeConfiguration<StaffingModelVersion>
{
    public void Configure(EntityTypeBuilder<StaffingModelVersion> version)
    {
        version.ToTable("staffing_model_versions");
        version.HasKey(v => new { v.ModelId, v.Version });
        version.Property(v => v.Definition).IsJsonColumn();
    }
}
