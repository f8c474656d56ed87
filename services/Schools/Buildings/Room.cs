using Mep.Contracts.Schools;
using Mep.Schools.Register;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Buildings;

/// <summary>A room of a building; WLAN, board systems and computer-room replacement are planned per room.</summary>
public sealed class Room
{
    private Room()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid BuildingId { get; private set; }

    /// <summary>Room number on site, e.g. "A 1.12"; unique within the building.</summary>
    public string Number { get; private set; } = string.Empty;

    public RoomKind Kind { get; private set; }
    public string? Description { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public static Room Add(Guid schoolId, Guid buildingId, string number, RoomKind kind, string? description, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            SchoolId = schoolId,
            BuildingId = buildingId,
            Number = number.Trim(),
            Kind = kind,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };

    public void Change(string number, RoomKind kind, string? description, DateTimeOffset now)
    {
        Number = number.Trim();
        Kind = kind;
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        UpdatedAt = now;
    }
}

internal sealed class RoomConfiguration : IEntityTypeConfiguration<Room>
{
    public void Configure(EntityTypeBuilder<Room> room)
    {
        room.ToTable("rooms");
        room.HasKey(r => r.Id);
        room.HasIndex(r => new { r.BuildingId, r.Number }).IsUnique();
        room.HasIndex(r => new { r.SchoolId, r.Kind });
        room.HasOne<School>().WithMany().HasForeignKey(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
        room.HasOne<Building>().WithMany().HasForeignKey(r => r.BuildingId).OnDelete(DeleteBehavior.Cascade);
    }
}
