using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Assets.BoardSystems;

/// <summary>
/// An interactive board system (Tafelsystem) in a room: groups up to five component devices, one of each
/// kind. Staffing counts a system as three devices whatever it is made of, so it exists on its own and may
/// start with fewer components (or none yet).
/// </summary>
public sealed class BoardSystem
{
    private BoardSystem()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid RoomId { get; private set; }

    /// <summary>How the school tells its systems apart, e.g. "Tafel vorne"; optional.</summary>
    public string? Label { get; private set; }

    public DateOnly? InstalledOn { get; private set; }
    public DateTimeOffset? DismantledAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public bool IsActive => DismantledAt is null;

    public static BoardSystem SetUp(Guid schoolId, Guid roomId, string? label, DateOnly? installedOn, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SchoolId = schoolId,
        RoomId = roomId,
        Label = string.IsNullOrWhiteSpace(label) ? null : label.Trim(),
        InstalledOn = installedOn,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public void Dismantle(DateTimeOffset now)
    {
        if (!IsActive)
        {
            throw new DomainRuleException("board-system-dismantled", "The board system was already dismantled.") { IsStateConflict = true };
        }

        DismantledAt = now;
        UpdatedAt = now;
    }
}

internal sealed class BoardSystemConfiguration : IEntityTypeConfiguration<BoardSystem>
{
    public void Configure(EntityTypeBuilder<BoardSystem> system)
    {
        system.ToTable("board_systems");
        system.HasKey(b => b.Id);
        system.Ignore(b => b.IsActive);
        system.HasIndex(b => new { b.SchoolId, b.RoomId });
    }
}
