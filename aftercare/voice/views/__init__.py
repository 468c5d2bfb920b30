"""The survivor portal's pages (`portal`) and the staff pages of survivor voice (`staff`)."""
