using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Repairs;

/// <summary>
/// The terms the payer rules read, which admins set: how long the seller's statutory liability for defects (Gewährleistung) runs from
/// the purchase, and the manufacturers' warranties per model. Both are [?] in the domain (they differ by contract), so they are data.
/// </summary>
public sealed class RepairTerms
{
    /// <summary>Two years for movable goods (§ 438 BGB), until an admin says otherwise.</summary>
    public const int DefaultStatutoryLiabilityMonths = 24;

    public const int MaxMonths = 120;

    private RepairTerms()
    {
    }

    /// <summary>The single row's key: the terms are one set for the city.</summary>
    public int Id { get; private set; } = 1;
    public int StatutoryLiabilityMonths { get; private set; } = DefaultStatutoryLiabilityMonths;
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;

    /// <summary>The terms before an admin set any.</summary>
    public static RepairTerms Default() => new();

    /// <summary>
    /// Replaces the statutory months and the whole table of model warranties; a model named twice (in any case) is refused, since
    /// which of the two the rules should read would be a guess.
    /// </summary>
    public static IReadOnlyList<ModelWarranty> Set(RepairTerms terms, int statutoryLiabilityMonths,
        IReadOnlyList<(string Manufacturer, string Model, int Months)> warranties, string actor, DateTimeOffset now)
    {
        var twice = warranties.GroupBy(w => (Key(w.Manufacturer), Key(w.Model))).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            var first = twice.First();
            throw new DomainRuleException("model-warranty-twice", $"{first.Manufacturer} {first.Model} is named twice; name each model once.")
            {
                Field = "modelWarranties",
            };
        }

        (terms.StatutoryLiabilityMonths, terms.UpdatedAt, terms.UpdatedBy) = (statutoryLiabilityMonths, now, actor);
        return [.. warranties.Select(w => new ModelWarranty(w.Manufacturer.Trim(), w.Model.Trim(), w.Months))];
    }

    /// <summary>
    /// Manufacturer and model as people write them differently ("Apple", "apple ", "iPad  10"): trimmed, any run of white space as
    /// one space, any case.
    /// </summary>
    internal static string Key(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}

/// <summary>A manufacturer's warranty for every device of one model, in months from its purchase.</summary>
public sealed class ModelWarranty
{
    private ModelWarranty()
    {
    }

    public ModelWarranty(string manufacturer, string model, int warrantyMonths) =>
        (Manufacturer, Model, WarrantyMonths) = (manufacturer, model, warrantyMonths);

    public string Manufacturer { get; private set; } = string.Empty;
    public string Model { get; private set; } = string.Empty;
    public int WarrantyMonths { get; private set; }

    /// <summary>The warranty of the device's model in <paramref name="table"/>, matched by names as <see cref="RepairTerms.Key"/> reads them.</summary>
    public static ModelWarranty? Of(IEnumerable<ModelWarranty> table, string? manufacturer, string? model) =>
        manufacturer is null || model is null
            ? null
            : table.FirstOrDefault(w => RepairTerms.Key(w.Manufacturer) == RepairTerms.Key(manufacturer) && RepairTerms.Key(w.Model) == RepairTerms.Key(model));
}

internal sealed class RepairTermsConfiguration : IEntityTypeConfiguration<RepairTerms>
{
    public void Configure(EntityTypeBuilder<RepairTerms> terms)
    {
        terms.ToTable("repair_terms");
        terms.HasKey(t => t.Id);
        terms.Property(t => t.Id).ValueGeneratedNever();
    }
}

internal sealed class ModelWarrantyConfiguration : IEntityTypeConfiguration<ModelWarranty>
{
    public void Configure(EntityTypeBuilder<ModelWarranty> warranty)
    {
        warranty.ToTable("model_warranties");
        warranty.HasKey(w => new { w.Manufacturer, w.Model });
    }
}
