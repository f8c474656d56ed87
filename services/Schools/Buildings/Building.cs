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
