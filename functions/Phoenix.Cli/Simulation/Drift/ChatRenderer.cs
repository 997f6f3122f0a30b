using System.Text;
using Phoenix.Core.Notifications;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>Shows a Chatbot custom notification in a terminal roughly as the chat channel would.</summary>
public static class ChatRenderer
{
    public static string Render(ChatNotification notification, string indent = "  ")
    {
        ArgumentNullException.ThrowIfNull(notification);
        var text = new StringBuilder();
        text.Append(indent).Append("┌ ").Append(notification.Content.Title)
            .Append("  [").Append(notification.Metadata.EventType).Append(", thread ").Append(notification.Metadata.ThreadId).Append("]\n");
        foreach (var line in notification.Content.Description.Split('\n'))
        {
            text.Append(indent).Append("│ ").Append(line).Append('\n');
        }

        if (notification.Content.NextSteps.Count > 0)
        {
            text.Append(indent).Append("│ Next steps:\n");
            foreach (var step in notification.Content.NextSteps)
            {
                text.Append(indent).Append("│  • ").Append(step).Append('\n');
            }
        }

        return text.Append(indent).Append('└').Append('\n').ToString();
    }
}
