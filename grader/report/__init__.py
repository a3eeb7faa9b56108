"""The result of grading: the report model (`model`), what a student may see of it
(`student_view`), its plain JSON form and back (`data`), short renderings of values
(`summaries`), and the formats people and machines read (`render`)."""
