"""Real data for application and training checks, read in the grader process: tables for the
numpy assignments (`tables`) and images for the Keras ones (`images`)."""
