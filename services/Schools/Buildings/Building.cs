using Mep.Schools.Register;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
namespace Mep.Schools.Buildings;

/// <summary>A building of a school; rollout (cabling, technical rooms) is tracked per building.</summary>
public sealed class Building
{
    private Building()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>Name used on site, e.g. "Hauptgebäude" or "Trakt B"; unique within the school.</summary>
    public string Name { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public static Building Add(Guid schoolId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), SchoolId = schoolId, Name = name.Trim(), CreatedAt = now };
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> building)
    {
        building.ToTable("buildings");
        building.HasKey(b => b.Id);
        building.HasIndex(b => new { b.SchoolId, b.Name }).IsUnique();
        building.HasOne<School>().WithMany().HasForeignKey(b => b.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
